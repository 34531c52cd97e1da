package threadsnoop

import "github.com/probebox/probebox/core/applet"

const commLen = 16

type config struct {
	pid                    int
	name, cgroup, btf, lib string
	json, verbose          bool
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{
		pid: inv.Int("pid"), name: inv.String("name"), cgroup: inv.String("cgroup"), btf: inv.String("btf"), lib: inv.String("lib"),
		json: inv.Bool("json"), verbose: inv.Bool("verbose"),
	}
	if len(inv.Args) > 0 {
		return nil, applet.Usagef("threadsnoop takes no arguments (got %q)", inv.Args[0])
	}
	if inv.IsSet("pid") && c.pid <= 0 {
		return nil, applet.Usagef("invalid PID %d for -p", c.pid)
	}
	if inv.IsSet("name") && c.name == "" {
		return nil, applet.Usagef("-n needs a non-empty NAME")
	}
	if len(c.name) >= commLen {
		return nil, applet.Usagef("-n NAME %q is longer than a task name (at most %d characters)", c.name, commLen-1)
	}
	if inv.IsSet("lib") && c.lib == "" {
		return nil, applet.Usagef("-l needs a library path or name")
	}
	return c, nil
}

// consts are the BPF program's filters, rewritten before load.
func (c *config) consts() map[string]any {
	m := map[string]any{}
	if c.pid > 0 {
		m["filter_pid"] = uint32(c.pid)
	}
	if c.name != "" {
		var comm [commLen]byte
		copy(comm[:], c.name)
		m["filter_comm"] = comm
		m["filter_comm_len"] = int32(len(c.name))
	}
	return m
}
