package fsdist

import (
	"time"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/fsops"
	"github.com/probebox/probebox/core/interval"
)

type config struct {
	fs                               string
	timestamp, millis, json, verbose bool
	pid                              uint32
	btf                              string
	every                            time.Duration
	count                            int
}

func newConfig(inv *applet.Invocation, fs string) (*config, error) {
	if fs == "" {
		return nil, applet.Usagef("the file system must be given with -t FS (one of btrfs, ext4, nfs, xfs)")
	}
	if err := fsops.Check(fs); err != nil {
		return nil, applet.Usagef("-t: %v", err)
	}
	c := &config{fs: fs, timestamp: inv.Bool("timestamp"), millis: inv.Bool("milliseconds"),
		json: inv.Bool("json"), verbose: inv.Bool("verbose"), btf: inv.String("btf")}
	var err error
	if c.every, c.count, err = interval.Args(inv.Args); err != nil {
		return nil, err
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
	return map[string]any{"targ_pid": c.pid, "targ_ms": c.millis}
}

func (c *config) unit() string {
	if c.millis {
		return "msecs"
	}
	return "usecs"
}
