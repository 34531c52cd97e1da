package opensnoop

import "github.com/probebox/probebox/core/applet"

const commLen = 16

type config struct {
	extended, fullPath, timestamp, printUID, failed, json, verbose bool
	pid, tid, uid, duration                                        int
	name, cgroup, btf                                              string
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{
		extended: inv.Bool("extended-fields"), fullPath: inv.Bool("full-path"), timestamp: inv.Bool("timestamp"),
		printUID: inv.Bool("print-uid"), failed: inv.Bool("failed"), json: inv.Bool("json"), verbose: inv.Bool("verbose"),
		pid: inv.Int("pid"), tid: inv.Int("tid"), uid: inv.Int("uid"), duration: inv.Int("duration"),
		name: inv.String("name"), cgroup: inv.String("cgroup"), btf: inv.String("btf"),
	}
	switch {
	case inv.IsSet("pid") && c.pid <= 0:
		return nil, applet.Usagef("invalid PID %d for -p", c.pid)
	case inv.IsSet("tid") && c.tid <= 0:
		return nil, applet.Usagef("invalid TID %d for -t", c.tid)
	case inv.IsSet("uid") && (c.uid < 0 || c.uid >= 1<<32-1):
		return nil, applet.Usagef("invalid UID %d for -u", c.uid)
	case inv.IsSet("duration") && c.duration <= 0:
		return nil, applet.Usagef("invalid duration %d for -d: want seconds > 0", c.duration)
	case inv.IsSet("name") && (c.name == "" || len(c.name) >= commLen):
		return nil, applet.Usagef("-n NAME must be 1 to %d characters", commLen-1)
	}
	return c, nil
}

func (c *config) consts() map[string]any {
	m := map[string]any{"failed_only": c.failed}
	if c.pid > 0 {
		m["filter_pid"] = uint32(c.pid)
	}
	if c.tid > 0 {
		m["filter_tid"] = uint32(c.tid)
	}
	if c.uid >= 0 {
		m["filter_uid"] = uint32(c.uid)
	}
	if c.name != "" {
		var comm [commLen]byte
		copy(comm[:], c.name)
		m["filter_comm"] = comm
		m["filter_comm_len"] = int32(len(c.name))
	}
	return m
}
