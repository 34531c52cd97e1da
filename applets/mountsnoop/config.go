package mountsnoop

import "github.com/probebox/probebox/core/applet"

type config struct {
	timestamp, detailed, json, verbose bool
	pid                                int
	cgroup, btf                        string
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{
		timestamp: inv.Bool("timestamp"), detailed: inv.Bool("detailed"), json: inv.Bool("json"), verbose: inv.Bool("verbose"),
		pid: inv.Int("pid"), cgroup: inv.String("cgroup"), btf: inv.String("btf"),
	}
	if inv.IsSet("pid") && c.pid <= 0 {
		return nil, applet.Usagef("invalid PID %d for -p", c.pid)
	}
	return c, nil
}

func (c *config) consts() map[string]any {
	m := map[string]any{}
	if c.pid > 0 {
		m["filter_pid"] = uint32(c.pid)
	}
	return m
}
