package tcptracer

import (
	"strconv"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/netfmt"
)

type config struct {
	timestamp, printUID, json, verbose bool
	pid, uid                           int
	netns                              uint32
	family                             uint16
	btf                                string
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{timestamp: inv.Bool("timestamp"), printUID: inv.Bool("print-uid"), json: inv.Bool("json"),
		verbose: inv.Bool("verbose"), pid: inv.Int("pid"), uid: inv.Int("uid"), btf: inv.String("btf")}
	switch {
	case inv.IsSet("pid") && c.pid <= 0:
		return nil, applet.Usagef("invalid PID %d for -p: must be a positive PID", c.pid)
	case inv.IsSet("uid") && (c.uid < 0 || c.uid >= 1<<32-1):
		return nil, applet.Usagef("invalid UID %d for -u", c.uid)
	case inv.Bool("ipv4") && inv.Bool("ipv6"):
		return nil, applet.Usagef("-4 and -6 cannot be used together")
	case inv.Bool("ipv4"):
		c.family = netfmt.AFInet
	case inv.Bool("ipv6"):
		c.family = netfmt.AFInet6
	}
	if inv.IsSet("netns") {
		n, err := strconv.ParseUint(inv.String("netns"), 10, 32)
		if err != nil || n == 0 {
			return nil, applet.Usagef("invalid network namespace %q for -N: want its inode number", inv.String("netns"))
		}
		c.netns = uint32(n)
	}
	if len(inv.Args) > 0 {
		return nil, applet.Usagef("unexpected argument %q", inv.Args[0])
	}
	return c, nil
}

func (c *config) consts() map[string]any {
	m := map[string]any{"filter_pid": uint32(c.pid), "filter_netns": c.netns, "filter_family": c.family}
	if c.uid >= 0 {
		m["filter_uid"] = uint32(c.uid)
	}
	return m
}
