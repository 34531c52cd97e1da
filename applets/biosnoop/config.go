package biosnoop

import (
	"strconv"

	"github.com/probebox/probebox/core/applet"
)

type config struct {
	queued, timestamp, json, verbose bool
	disk, cgroup, btf                string
	dev                              uint32 // kernel dev_t of -d DISK
	minMs                            int
	durationSec                      int
}

// diskLookup finds a disk's dev_t; tests replace it.
type diskLookup func(name string) (uint32, error)

func newConfig(inv *applet.Invocation, lookup diskLookup) (*config, error) {
	c := &config{
		queued:    inv.Bool("queued"),
		timestamp: inv.Bool("timestamp"),
		json:      inv.Bool("json"),
		verbose:   inv.Bool("verbose"),
		disk:      inv.String("disk"),
		cgroup:    inv.String("cgroup"),
		btf:       inv.String("btf"),
		minMs:     inv.Int("min"),
	}
	if c.minMs < 0 {
		return nil, applet.Usagef("invalid latency %d for -m: want milliseconds >= 0", c.minMs)
	}
	if len(inv.Args) > 0 {
		n, err := strconv.Atoi(inv.Args[0])
		if err != nil || n <= 0 {
			return nil, applet.Usagef("invalid duration %q: want a positive number of seconds", inv.Args[0])
		}
		c.durationSec = n
	}
	if inv.IsSet("disk") {
		dev, err := lookup(c.disk)
		if err != nil {
			return nil, applet.Usagef("-d: %v", err)
		}
		c.dev = dev
	}
	return c, nil
}

// consts are the BPF program's filters, rewritten before load.
func (c *config) consts() map[string]any {
	return map[string]any{
		"filter_dev":  c.disk != "",
		"targ_dev":    c.dev,
		"targ_queued": c.queued,
		"min_ns":      uint64(c.minMs) * 1_000_000,
	}
}
