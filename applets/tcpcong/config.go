package tcpcong

import (
	"strconv"
	"strings"
	"time"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/interval"
)

type config struct {
	timestamp, dist, micro, json, verbose bool
	lport, rport                          [2]uint16 // ranges; [0 0]: any
	every                                 time.Duration
	count                                 int
	btf                                   string
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{
		timestamp: inv.Bool("timestamp") || inv.Bool("t"),
		dist:      inv.Bool("dist"),
		micro:     inv.Bool("microseconds") || inv.Bool("m"),
		json:      inv.Bool("json"), verbose: inv.Bool("verbose"), btf: inv.String("btf"),
	}
	var err error
	for _, p := range []struct {
		flags []string
		into  *[2]uint16
	}{{[]string{"localport", "l"}, &c.lport}, {[]string{"remoteport", "r"}, &c.rport}} {
		for _, f := range p.flags {
			if inv.IsSet(f) {
				if *p.into, err = parseRange(inv.String(f)); err != nil {
					return nil, err
				}
			}
		}
	}
	// [interval] [outputs] as bcc, or -i / -o as libbpf-tools
	args := inv.Args
	if len(args) > 2 {
		return nil, applet.Usagef("unrecognized positional argument %q", args[2])
	}
	if c.every, c.count, err = interval.Args(args); err != nil {
		return nil, err
	}
	if inv.IsSet("interval") {
		if n := inv.Int("interval"); n <= 0 || n > 1<<31-1 {
			return nil, applet.Usagef("invalid interval %d for -i: want a positive number of seconds", n)
		} else {
			c.every = time.Duration(n) * time.Second
		}
	}
	if inv.IsSet("outputs") {
		if n := inv.Int("outputs"); n <= 0 {
			return nil, applet.Usagef("invalid outputs %d for -o: want a positive number", n)
		} else {
			c.count = n
		}
	}
	return c, nil
}

// parseRange reads "PORT" or "FIRST-LAST" (bcc's -L 3000-3006).
func parseRange(s string) ([2]uint16, error) {
	lo, hi, isRange := strings.Cut(s, "-")
	if !isRange {
		hi = lo
	}
	a, err1 := strconv.ParseUint(lo, 10, 16)
	b, err2 := strconv.ParseUint(hi, 10, 16)
	if err1 != nil || err2 != nil || a == 0 || b < a {
		return [2]uint16{}, applet.Usagef("invalid port range %q: want PORT or FIRST-LAST, 1-65535", s)
	}
	return [2]uint16{uint16(a), uint16(b)}, nil
}

func (c *config) consts() map[string]any {
	return map[string]any{
		"dist": c.dist, "microseconds": c.micro,
		"lport_min": c.lport[0], "lport_max": c.lport[1],
		"rport_min": c.rport[0], "rport_max": c.rport[1],
	}
}
