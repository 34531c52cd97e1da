package tcpconnlat

import (
	"math"
	"strconv"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/netfmt"
)

type config struct {
	timestamp, lport, json, verbose bool
	pid                             int
	minNs                           uint64
	family                          uint16 // 0: both
	btf                             string
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{
		timestamp: inv.Bool("timestamp"), lport: inv.Bool("lport"),
		json: inv.Bool("json"), verbose: inv.Bool("verbose"), pid: inv.Int("pid"), btf: inv.String("btf"),
	}
	switch {
	case inv.IsSet("pid") && c.pid <= 0:
		return nil, applet.Usagef("invalid PID %d for -p: must be a positive PID", c.pid)
	case inv.Bool("ipv4") && inv.Bool("ipv6"):
		return nil, applet.Usagef("-4 and -6 cannot be used together")
	case inv.Bool("ipv4"):
		c.family = netfmt.AFInet
	case inv.Bool("ipv6"):
		c.family = netfmt.AFInet6
	}
	switch len(inv.Args) {
	case 0:
	case 1:
		ms, err := strconv.ParseFloat(inv.Args[0], 64)
		if err != nil || ms <= 0 || math.IsInf(ms, 0) || ms > 1e9 {
			return nil, applet.Usagef("invalid min_ms %q: want a positive number of milliseconds", inv.Args[0])
		}
		c.minNs = uint64(ms * 1e6)
	default:
		return nil, applet.Usagef("unrecognized positional argument %q", inv.Args[1])
	}
	return c, nil
}

// consts are the BPF program's filters, set before load.
func (c *config) consts() map[string]any {
	return map[string]any{"filter_family": c.family, "filter_pid": uint32(c.pid), "min_ns": c.minNs}
}
