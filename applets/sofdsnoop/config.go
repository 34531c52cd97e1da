package sofdsnoop

import (
	"github.com/probebox/probebox/core/applet"
)

const commLen = 16

type config struct {
	timestamp, json, verbose bool
	pid, tid, duration       int
	name, cgroup, btf        string
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{timestamp: inv.Bool("timestamp"), json: inv.Bool("json"), verbose: inv.Bool("verbose"),
		pid: inv.Int("pid"), tid: inv.Int("tid"), duration: inv.Int("duration"),
		name: inv.String("name"), cgroup: inv.String("cgroup"), btf: inv.String("btf")}
	switch {
	case inv.IsSet("pid") && c.pid <= 0:
		return nil, applet.Usagef("invalid PID %d for -p: must be a positive PID", c.pid)
	case inv.IsSet("tid") && c.tid <= 0:
		return nil, applet.Usagef("invalid TID %d for -t: must be a positive TID", c.tid)
	case inv.IsSet("duration") && c.duration <= 0:
		return nil, applet.Usagef("invalid duration %d for -d: want a positive number of seconds", c.duration)
	case inv.IsSet("name") && (c.name == "" || len(c.name) >= commLen):
		return nil, applet.Usagef("invalid name %q for -n: want 1 to %d characters", c.name, commLen-1)
	}
	return c, nil
}

// consts are the BPF program's filters, rewritten before load.
func (c *config) consts() map[string]any {
	m := map[string]any{"filter_pid": uint32(c.pid), "filter_tid": uint32(c.tid)}
	if c.name != "" {
		var comm [commLen]byte
		copy(comm[:], c.name)
		m["filter_comm"] = comm
		m["filter_comm_len"] = int32(len(c.name))
	}
	return m
}
