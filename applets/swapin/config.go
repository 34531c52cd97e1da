package swapin

import (
	"time"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/interval"
)

type config struct {
	notime, json, verbose bool
	pid                   uint32
	every                 time.Duration
	count                 int
	btf                   string
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{notime: inv.Bool("notime"), json: inv.Bool("json"), verbose: inv.Bool("verbose"), btf: inv.String("btf")}
	if len(inv.Args) > 2 {
		return nil, applet.Usagef("unexpected argument %q", inv.Args[2])
	}
	var err error
	if c.every, c.count, err = interval.Args(inv.Args); err != nil {
		return nil, err
	}
	if c.every == 0 {
		c.every = time.Second // bcc's default interval
	}
	if inv.IsSet("pid") {
		p := inv.Int("pid")
		if p <= 0 || p > 1<<22 {
			return nil, applet.Usagef("invalid PID %d", p)
		}
		c.pid = uint32(p)
	}
	return c, nil
}

func (c *config) consts() map[string]any { return map[string]any{"targ_pid": c.pid} }
