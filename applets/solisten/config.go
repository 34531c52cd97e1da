package solisten

import "github.com/probebox/probebox/core/applet"

type config struct {
	timestamp, json, verbose bool
	pid                      int
	btf                      string
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{timestamp: inv.Bool("timestamp"), json: inv.Bool("json"), verbose: inv.Bool("verbose"),
		pid: inv.Int("pid"), btf: inv.String("btf")}
	if inv.IsSet("pid") && c.pid <= 0 {
		return nil, applet.Usagef("invalid PID %d for -p: must be a positive PID", c.pid)
	}
	if len(inv.Args) > 0 {
		return nil, applet.Usagef("unexpected argument %q", inv.Args[0])
	}
	return c, nil
}

func (c *config) consts() map[string]any { return map[string]any{"filter_pid": uint32(c.pid)} }
