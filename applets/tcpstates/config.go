package tcpstates

import (
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/netfmt"
)

type config struct {
	timestamp, wide, json, verbose bool
	family                         uint16 // 0: both
	lports, rports                 []uint16
	btf                            string
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{
		timestamp: inv.Bool("timestamp"), wide: inv.Bool("wide"),
		json: inv.Bool("json"), verbose: inv.Bool("verbose"), btf: inv.String("btf"),
	}
	switch {
	case inv.Bool("ipv4") && inv.Bool("ipv6"):
		return nil, applet.Usagef("-4 and -6 cannot be used together")
	case inv.Bool("ipv4"):
		c.family = netfmt.AFInet
	case inv.Bool("ipv6"):
		c.family = netfmt.AFInet6
	}
	var err error
	if inv.IsSet("localport") {
		if c.lports, err = netfmt.ParsePorts(inv.String("localport"), netfmt.MaxPorts); err != nil {
			return nil, applet.Usagef("-L: %v", err)
		}
	}
	if inv.IsSet("remoteport") {
		if c.rports, err = netfmt.ParsePorts(inv.String("remoteport"), netfmt.MaxPorts); err != nil {
			return nil, applet.Usagef("-D: %v", err)
		}
	}
	return c, nil
}

// consts are the BPF program's filters, set before load.
func (c *config) consts() map[string]any {
	m := map[string]any{"filter_family": c.family}
	netfmt.PortConsts(m, "filter_lports", c.lports)
	netfmt.PortConsts(m, "filter_rports", c.rports)
	return m
}
