package dcsnoop

import "github.com/probebox/probebox/core/applet"

type config struct {
	all, timestamp, json, verbose bool
	duration                      int
	pid, tid                      uint32
	btf                           string
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{
		all: inv.Bool("trace-all"), timestamp: inv.Bool("timestamp"),
		json: inv.Bool("json"), verbose: inv.Bool("verbose"), btf: inv.String("btf"),
	}
	if len(inv.Args) > 0 {
		return nil, applet.Usagef("unexpected argument %q", inv.Args[0])
	}
	if inv.IsSet("duration") {
		if c.duration = inv.Int("duration"); c.duration <= 0 {
			return nil, applet.Usagef("invalid duration %d: want a positive number of seconds", c.duration)
		}
	}
	for _, f := range []struct {
		name string
		to   *uint32
	}{{"pid", &c.pid}, {"tid", &c.tid}} {
		if !inv.IsSet(f.name) {
			continue
		}
		v := inv.Int(f.name)
		if v <= 0 || v > 1<<22 {
			return nil, applet.Usagef("invalid %s %d", f.name, v)
		}
		*f.to = uint32(v)
	}
	return c, nil
}

func (c *config) consts() map[string]any {
	return map[string]any{"targ_pid": c.pid, "targ_tid": c.tid}
}
