package biolatency

import (
	"time"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/interval"
)

type config struct {
	timestamp, millis, queued, perDisk, perFlag, json, verbose bool
	disk, cgroup, btf                                          string
	dev                                                        uint32 // kernel dev_t of -d DISK
	every                                                      time.Duration
	count                                                      int
	maxKeys                                                    int
}

// Bounds of --max-keys: each key is a histogram of 108 bytes in the kernel.
const (
	minKeys     = 1
	defaultKeys = 10240
	maxKeys     = 1 << 20
)

// diskLookup finds a disk's dev_t; tests replace it.
type diskLookup func(name string) (uint32, error)

func newConfig(inv *applet.Invocation, lookup diskLookup) (*config, error) {
	c := &config{
		timestamp: inv.Bool("timestamp"),
		millis:    inv.Bool("milliseconds"),
		queued:    inv.Bool("queued"),
		perDisk:   inv.Bool("disks"),
		perFlag:   inv.Bool("flags"),
		json:      inv.Bool("json"),
		verbose:   inv.Bool("verbose"),
		disk:      inv.String("disk"),
		cgroup:    inv.String("cgroup"),
		btf:       inv.String("btf"),
	}
	if c.maxKeys = inv.Int("max-keys"); c.maxKeys < minKeys || c.maxKeys > maxKeys {
		return nil, applet.Usagef("invalid --max-keys %d: must be between %d and %d", c.maxKeys, minKeys, maxKeys)
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

// consts are the BPF program's settings, rewritten before load.
func (c *config) consts() map[string]any {
	return map[string]any{
		"filter_dev":    c.disk != "",
		"targ_dev":      c.dev,
		"targ_queued":   c.queued,
		"targ_per_disk": c.perDisk,
		"targ_per_flag": c.perFlag,
		"targ_ms":       c.millis,
	}
}

func (c *config) unit() string {
	if c.millis {
		return "msecs"
	}
	return "usecs"
}
