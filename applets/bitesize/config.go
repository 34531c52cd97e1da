package bitesize

import (
	"time"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/interval"
)

type config struct {
	timestamp, json, verbose bool
	comm, disk, btf          string
	dev                      uint32 // kernel dev_t of -d DISK
	every                    time.Duration
	count                    int
}

// commMax is what fits a task's comm (TASK_COMM_LEN less the NUL); a
// longer -c is cut there, as the kernel cuts the name it matches.
const commMax = 15

type diskLookup func(name string) (uint32, error)

func newConfig(inv *applet.Invocation, lookup diskLookup) (*config, error) {
	c := &config{
		timestamp: inv.Bool("timestamp"),
		json:      inv.Bool("json"),
		verbose:   inv.Bool("verbose"),
		comm:      inv.String("comm"),
		disk:      inv.String("disk"),
		btf:       inv.String("btf"),
	}
	var err error
	if c.every, c.count, err = interval.Args(inv.Args); err != nil {
		return nil, err
	}
	if inv.IsSet("comm") && c.comm == "" {
		return nil, applet.Usagef("-c: empty process name")
	}
	if len(c.comm) > commMax {
		c.comm = c.comm[:commMax]
	}
	if inv.IsSet("disk") {
		if c.dev, err = lookup(c.disk); err != nil {
			return nil, applet.Usagef("-d: %v", err)
		}
	}
	return c, nil
}

func (c *config) consts() map[string]any {
	var comm [16]byte
	copy(comm[:], c.comm)
	return map[string]any{
		"filter_dev": c.disk != "",
		"targ_dev":   c.dev,
		"targ_comm":  comm,
	}
}
