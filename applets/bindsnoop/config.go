package bindsnoop

import (
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/netfmt"
)

type config struct {
	timestamp, failed, json, verbose bool
	pid                              int
	ports                            []uint16
	cgroup, btf                      string
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{timestamp: inv.Bool("timestamp"), failed: inv.Bool("failed") || inv.Bool("errors"),
		json: inv.Bool("json"), verbose: inv.Bool("verbose"), pid: inv.Int("pid"),
		cgroup: inv.String("cgroup"), btf: inv.String("btf")}
	if inv.IsSet("pid") && c.pid <= 0 {
		return nil, applet.Usagef("invalid PID %d for -p: must be a positive PID", c.pid)
	}
	if len(inv.Args) > 0 {
		return nil, applet.Usagef("unexpected argument %q", inv.Args[0])
	}
	if inv.IsSet("ports") {
		var err error
		if c.ports, err = netfmt.ParsePorts(inv.String("ports"), netfmt.MaxPorts); err != nil {
			return nil, applet.Usagef("-P: %v", err)
		}
	}
	return c, nil
}

func (c *config) consts() map[string]any {
	m := map[string]any{"filter_pid": uint32(c.pid), "ignore_errors": !c.failed}
	netfmt.PortConsts(m, "filter_ports", c.ports)
	return m
}
