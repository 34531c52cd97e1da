package cpudist

import (
	"time"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/interval"
)

// keyKind says how histograms are split.
type keyKind int

const (
	keyAll keyKind = iota // one histogram
	keyPID                // -P: per process (tgid)
	keyTID                // -L: per thread
)

type config struct {
	timestamp, millis, offcpu, json, verbose bool
	key                                      keyKind
	pid                                      int
	cgroup, btf                              string
	every                                    time.Duration
	count                                    int
	maxKeys                                  int
}

// Bounds of --max-keys: each key is a histogram of 160 bytes in the kernel.
const (
	minKeys     = 1
	defaultKeys = 10240
	maxKeys     = 1 << 20
)

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{
		timestamp: inv.Bool("timestamp"),
		millis:    inv.Bool("milliseconds"),
		offcpu:    inv.Bool("offcpu"),
		json:      inv.Bool("json"),
		verbose:   inv.Bool("verbose"),
		pid:       inv.Int("pid"),
		cgroup:    inv.String("cgroup"),
		btf:       inv.String("btf"),
	}
	n := 0
	for _, k := range []struct {
		flag string
		kind keyKind
	}{{"pids", keyPID}, {"tids", keyTID}} {
		if inv.Bool(k.flag) {
			c.key = k.kind
			n++
		}
	}
	if n > 1 {
		return nil, applet.Usagef("-P and -L cannot be used together")
	}
	if inv.IsSet("pid") && c.pid <= 0 {
		return nil, applet.Usagef("invalid PID %d for -p: must be a positive PID", c.pid)
	}
	if c.maxKeys = inv.Int("max-keys"); c.maxKeys < minKeys || c.maxKeys > maxKeys {
		return nil, applet.Usagef("invalid --max-keys %d: must be between %d and %d", c.maxKeys, minKeys, maxKeys)
	}
	var err error
	if c.every, c.count, err = interval.Args(inv.Args); err != nil {
		return nil, err
	}
	return c, nil
}

// consts are the BPF program's settings, rewritten before load.
func (c *config) consts() map[string]any {
	return map[string]any{
		"per_process":  c.key == keyPID,
		"per_thread":   c.key == keyTID,
		"offcpu":       c.offcpu,
		"milliseconds": c.millis,
		"filter_tgid":  int32(c.pid),
	}
}

func (c *config) unit() string {
	if c.millis {
		return "msecs"
	}
	return "usecs"
}

// mode names what is measured: "on-CPU" or "off-CPU" (-O).
func (c *config) mode() string {
	if c.offcpu {
		return "off-CPU"
	}
	return "on-CPU"
}
