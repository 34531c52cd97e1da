package tcpretrans

import (
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/netfmt"
)

const (
	afInet  = netfmt.AFInet
	afInet6 = netfmt.AFInet6
)

type config struct {
	sequence, lossProbe, count, json, verbose bool
	family                                    uint16 // afInet, afInet6, or 0 for both
	btf                                       string
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{
		sequence: inv.Bool("sequence"), lossProbe: inv.Bool("lossprobe"), count: inv.Bool("count"),
		json: inv.Bool("json"), verbose: inv.Bool("verbose"), btf: inv.String("btf"),
	}
	switch v4, v6 := inv.Bool("ipv4"), inv.Bool("ipv6"); {
	case v4 && v6:
		return nil, applet.Usagef("-4 and -6 cannot be used together")
	case v4:
		c.family = afInet
	case v6:
		c.family = afInet6
	}
	return c, nil
}

func (c *config) consts() map[string]any {
	return map[string]any{"filter_family": c.family, "count_mode": c.count}
}
