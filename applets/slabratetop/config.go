package slabratetop

import (
	"time"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/interval"
	"github.com/probebox/probebox/core/top"
)

type sortBy int

const (
	sortName sortBy = iota
	sortCount
	sortSize
)

var sortNames = map[string]sortBy{"name": sortName, "count": sortCount, "size": sortSize}

type config struct {
	noClear, json, verbose bool
	rows                   int
	sort                   sortBy
	pid                    uint32
	btf                    string
	every                  time.Duration
	count                  int
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{noClear: inv.Bool("noclear"), json: inv.Bool("json"), verbose: inv.Bool("verbose"), btf: inv.String("btf")}
	var err error
	if c.every, c.count, err = interval.Args(inv.Args); err != nil {
		return nil, err
	}
	if c.every == 0 {
		c.every = time.Second
	}
	if c.rows, err = top.Rows(inv.String("rows")); err != nil {
		return nil, err
	}
	s, ok := sortNames[inv.String("sort")]
	if !ok {
		return nil, applet.Usagef("invalid sort method %q: want name, count or size", inv.String("sort"))
	}
	c.sort = s
	if inv.IsSet("pid") {
		p := inv.Int("pid")
		if p <= 0 {
			return nil, applet.Usagef("invalid PID %d", p)
		}
		c.pid = uint32(p)
	}
	return c, nil
}

func (c *config) consts() map[string]any { return map[string]any{"targ_pid": c.pid} }
