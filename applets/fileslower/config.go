package fileslower

import (
	"strconv"

	"github.com/probebox/probebox/core/applet"
)

type config struct {
	all, json, verbose bool
	pid                uint32
	minMs              int
	btf                string
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{all: inv.Bool("all-files"), json: inv.Bool("json"), verbose: inv.Bool("verbose"), btf: inv.String("btf"), minMs: 10}
	if len(inv.Args) > 1 {
		return nil, applet.Usagef("unexpected argument %q", inv.Args[1])
	}
	if len(inv.Args) == 1 {
		n, err := strconv.Atoi(inv.Args[0])
		if err != nil || n < 0 || n > 1<<31-1 {
			return nil, applet.Usagef("invalid min_ms %q: want milliseconds >= 0", inv.Args[0])
		}
		c.minMs = n
	}
	if inv.IsSet("pid") {
		p := inv.Int("pid")
		if p <= 0 {
			return nil, applet.Usagef("invalid PID %d", p)
		}
		c.pid = uint32(p)
	}
	return c, nil
}

func (c *config) consts() map[string]any {
	return map[string]any{"targ_pid": c.pid, "regular_file_only": !c.all, "min_lat_ns": uint64(c.minMs) * 1000000}
}
