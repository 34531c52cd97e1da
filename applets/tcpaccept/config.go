package tcpaccept

import (
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/netfmt"
)

// maxPorts is PBX_MAX_PORTS in bpfobj/include/tcpsock.bpf.h.
const maxPorts = 64

type config struct {
	time, timestamp, json, verbose bool
	pid                            int
	family                         uint16 // 0: both
	ports                          []uint16
	cgroup, btf                    string
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{
		time: inv.Bool("time"), timestamp: inv.Bool("timestamp"),
		json: inv.Bool("json"), verbose: inv.Bool("verbose"),
		pid: inv.Int("pid"), cgroup: inv.String("cgroup"), btf: inv.String("btf"),
	}
	switch {
	case inv.IsSet("pid") && c.pid <= 0:
		return nil, applet.Usagef("invalid PID %d for -p: must be a positive PID", c.pid)
	case inv.Bool("ipv4") && inv.Bool("ipv6"):
		return nil, applet.Usagef("-4 and -6 cannot be used together")
	}
	if inv.Bool("ipv4") {
		c.family = netfmt.AFInet
	} else if inv.Bool("ipv6") {
		c.family = netfmt.AFInet6
	}
	if inv.IsSet("port") {
		p, err := netfmt.ParsePorts(inv.String("port"), maxPorts)
		if err != nil {
			return nil, applet.Usagef("-P: %v", err)
		}
		c.ports = p
	}
	return c, nil
}

// consts are the BPF program's filters, set before load.
func (c *config) consts() map[string]any {
	m := map[string]any{"filter_family": c.family}
	if c.pid > 0 {
		m["filter_pid"] = uint32(c.pid)
	}
	if len(c.ports) > 0 {
		var ports [maxPorts]uint16
		copy(ports[:], c.ports)
		m["filter_ports"] = ports
		m["filter_ports_len"] = uint32(len(c.ports))
	}
	return m
}
