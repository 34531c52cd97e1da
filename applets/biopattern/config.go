package biopattern

import (
	"time"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/interval"
)

type config struct {
	timestamp, extended, json, verbose bool
	disk, btf                          string
	dev                                uint32
	every                              time.Duration
	count                              int
}

type diskLookup func(name string) (uint32, error)

func newConfig(inv *applet.Invocation, lookup diskLookup) (*config, error) {
	c := &config{
		timestamp: inv.Bool("timestamp"),
		extended:  inv.Bool("extended"),
		json:      inv.Bool("json"),
		verbose:   inv.Bool("verbose"),
		disk:      inv.String("disk"),
		btf:       inv.String("btf"),
	}
	var err error
	if c.every, c.count, err = interval.Args(inv.Args); err != nil {
		return nil, err
	}
	if inv.IsSet("disk") {
		if c.dev, err = lookup(c.disk); err != nil {
			return nil, applet.Usagef("-d: %v", err)
		}
	}
	return c, nil
}

func (c *config) consts() map[string]any {
	return map[string]any{"filter_dev": c.disk != "", "targ_dev": c.dev}
}
