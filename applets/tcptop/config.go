package tcptop

import (
	"os"
	"strings"
	"time"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/interval"
	"github.com/probebox/probebox/core/netfmt"
)

const (
	sortAll = iota
	sortSent
	sortReceived
)

// rowsLimit is libbpf-tools' OUTPUT_ROWS_LIMIT.
const rowsLimit = 10240

type config struct {
	noSummary, noClear, json, verbose bool
	pid, rows, sort                   int
	family                            uint16
	every                             time.Duration
	count                             int
	cgroup, btf                       string
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{noSummary: inv.Bool("nosummary"), noClear: inv.Bool("noclear"), json: inv.Bool("json"),
		verbose: inv.Bool("verbose"), pid: inv.Int("pid"), rows: inv.Int("rows"),
		cgroup: inv.String("cgroup"), btf: inv.String("btf")}
	switch {
	case inv.IsSet("pid") && c.pid <= 0:
		return nil, applet.Usagef("invalid PID %d for -p: must be a positive PID", c.pid)
	case c.rows <= 0:
		return nil, applet.Usagef("invalid rows %d for -r: must be positive", c.rows)
	case inv.Bool("ipv4") && inv.Bool("ipv6"):
		return nil, applet.Usagef("-4 and -6 cannot be used together")
	case inv.Bool("ipv4"):
		c.family = netfmt.AFInet
	case inv.Bool("ipv6"):
		c.family = netfmt.AFInet6
	}
	c.rows = min(c.rows, rowsLimit)
	switch inv.String("sort") {
	case "all":
	case "sent":
		c.sort = sortSent
	case "received":
		c.sort = sortReceived
	default:
		return nil, applet.Usagef("invalid sort method %q for -s: want all, sent or received", inv.String("sort"))
	}
	if len(inv.Args) > 2 {
		return nil, applet.Usagef("unrecognized positional argument %q", inv.Args[2])
	}
	var err error
	if c.every, c.count, err = interval.Args(inv.Args); err != nil {
		return nil, err
	}
	if c.every == 0 {
		c.every = time.Second // libbpf-tools' default interval
	}
	return c, nil
}

func (c *config) consts() map[string]any {
	return map[string]any{"filter_pid": uint32(c.pid), "filter_family": c.family}
}

// pidWidth is libbpf-tools' PID column: as wide as kernel.pid_max's
// digits, at least 6.
func pidWidth() int {
	b, err := os.ReadFile("/proc/sys/kernel/pid_max")
	if err != nil {
		return 6
	}
	return max(len(strings.TrimSpace(string(b))), 6)
}
