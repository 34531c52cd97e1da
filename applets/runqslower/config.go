package runqslower

import (
	"strconv"

	"github.com/probebox/probebox/core/applet"
)

type config struct {
	minUS          uint64
	pid, tid       int
	previous, json bool
	verbose        bool
	btf            string
}

const defaultMinUS = 10000

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{
		minUS: defaultMinUS, pid: inv.Int("pid"), tid: inv.Int("tid"),
		previous: inv.Bool("previous"), json: inv.Bool("json"), verbose: inv.Bool("verbose"),
		btf: inv.String("btf"),
	}
	switch {
	case inv.IsSet("pid") && c.pid <= 0:
		return nil, applet.Usagef("invalid PID %d for -p: must be a positive PID", c.pid)
	case inv.IsSet("tid") && c.tid <= 0:
		return nil, applet.Usagef("invalid TID %d for -t: must be a positive TID", c.tid)
	case len(inv.Args) > 1:
		return nil, applet.Usagef("unexpected argument %q: runqslower takes one min_us", inv.Args[1])
	}
	if len(inv.Args) == 1 {
		v, err := strconv.ParseUint(inv.Args[0], 10, 64)
		if err != nil || v > 1<<40 {
			return nil, applet.Usagef("invalid min_us %q: want microseconds, 0 or more", inv.Args[0])
		}
		c.minUS = v
	}
	return c, nil
}

func (c *config) consts() map[string]any {
	return map[string]any{
		"min_us":      c.minUS,
		"filter_tgid": int32(c.pid),
		"filter_tid":  int32(c.tid),
	}
}
