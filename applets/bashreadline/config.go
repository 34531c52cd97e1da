package bashreadline

import "github.com/probebox/probebox/core/applet"

type config struct {
	pid                 int
	shared, cgroup, btf string
	json, verbose       bool
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{
		pid: inv.Int("pid"), shared: inv.String("shared"), cgroup: inv.String("cgroup"), btf: inv.String("btf"),
		json: inv.Bool("json"), verbose: inv.Bool("verbose"),
	}
	if len(inv.Args) > 0 {
		return nil, applet.Usagef("bashreadline takes no arguments (got %q)", inv.Args[0])
	}
	if inv.IsSet("pid") && c.pid <= 0 {
		return nil, applet.Usagef("invalid PID %d for -p", c.pid)
	}
	if inv.IsSet("shared") && c.shared == "" {
		return nil, applet.Usagef("-s needs the libreadline's path")
	}
	return c, nil
}

// consts are the BPF program's filters, rewritten before load.
func (c *config) consts() map[string]any {
	m := map[string]any{}
	if c.pid > 0 {
		m["filter_pid"] = uint32(c.pid)
	}
	return m
}
