package execsnoop

import (
	"github.com/probebox/probebox/core/applet"
)

const (
	maxArgsLimit   = 60 // EXECSNOOP_MAX_ARGS in bpfobj/include/execsnoop.h
	commLen        = 16
	invalidUID     = ^uint32(0)
	defaultMaxArgs = 20
)

type config struct {
	timeCol, timestamp, fails, quote, printUID, json, verbose bool
	uid                                                       int
	ppid                                                      int
	maxArgs                                                   int
	name, line, cgroup, btf                                   string
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{
		timeCol:   inv.Bool("time"),
		timestamp: inv.Bool("timestamp"),
		fails:     inv.Bool("fails"),
		quote:     inv.Bool("quote"),
		printUID:  inv.Bool("print-uid"),
		json:      inv.Bool("json"),
		verbose:   inv.Bool("verbose"),
		uid:       inv.Int("uid"),
		ppid:      inv.Int("ppid"),
		maxArgs:   inv.Int("max-args"),
		name:      inv.String("name"),
		line:      inv.String("line"),
		cgroup:    inv.String("cgroup"),
		btf:       inv.String("btf"),
	}
	if inv.IsSet("uid") && (c.uid < 0 || uint32(c.uid) == invalidUID) {
		return nil, applet.Usagef("invalid UID %d for -u", c.uid)
	}
	if inv.IsSet("ppid") && c.ppid <= 0 {
		return nil, applet.Usagef("invalid PPID %d for -P: must be a positive PID", c.ppid)
	}
	if c.maxArgs < 1 || c.maxArgs > maxArgsLimit {
		return nil, applet.Usagef("invalid --max-args %d: must be between 1 and %d", c.maxArgs, maxArgsLimit)
	}
	if len(c.name) >= commLen {
		return nil, applet.Usagef("-n NAME %q is longer than a task name (at most %d characters)", c.name, commLen-1)
	}
	if inv.IsSet("name") && c.name == "" {
		return nil, applet.Usagef("-n needs a non-empty NAME")
	}
	return c, nil
}

// consts are the BPF program's filters, rewritten before load.
func (c *config) consts() map[string]any {
	m := map[string]any{
		"include_failed": c.fails,
		"max_args":       int32(c.maxArgs),
	}
	if c.uid >= 0 {
		m["filter_uid"] = uint32(c.uid)
	}
	if c.ppid > 0 {
		m["filter_ppid"] = int32(c.ppid)
	}
	if c.name != "" {
		var comm [commLen]byte
		copy(comm[:], c.name)
		m["filter_comm"] = comm
		m["filter_comm_len"] = int32(len(c.name))
	}
	return m
}
