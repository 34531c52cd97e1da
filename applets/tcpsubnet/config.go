package tcpsubnet

import (
	"net/netip"
	"strings"
	"time"

	bpfobj "github.com/probebox/probebox/bpfobj/tcpsubnet"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/netfmt"
)

// defaultSubnets is bcc's and libbpf-tools' list.
const defaultSubnets = "127.0.0.1/32,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,0.0.0.0/0"

// maxNets is TCPSUBNET_MAX_NETS.
const maxNets = 64

// subnet is one entry of the list, printed as the user wrote it.
type subnet struct {
	text   string
	prefix netip.Prefix
}

type config struct {
	subnets       []subnet
	every         time.Duration
	format        byte
	json, verbose bool
	btf           string
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{json: inv.Bool("json"), verbose: inv.Bool("verbose"), btf: inv.String("btf")}
	c.json = c.json || inv.Bool("J") // bcc's spelling
	n := inv.Int("interval")
	if n <= 0 || n > 1<<31-1 {
		return nil, applet.Usagef("invalid interval %d for -i: want a positive number of seconds", n)
	}
	c.every = time.Duration(n) * time.Second
	f := inv.String("format")
	if len(f) != 1 || !strings.Contains("bkmBKM", f) {
		return nil, applet.Usagef("invalid format %q for -f: want one of b, k, m (bits, Kbits, Mbits), B, K, M (bytes, KBytes, MBytes)", f)
	}
	c.format = f[0]
	list := defaultSubnets
	if len(inv.Args) > 0 {
		list = inv.Args[0]
	}
	var err error
	if c.subnets, err = parseSubnets(list); err != nil {
		return nil, err
	}
	return c, nil
}

// parseSubnets reads "a.b.c.d/n,...": IPv4 as bcc, and IPv6 too; an
// address without /n is a single host.
func parseSubnets(list string) ([]subnet, error) {
	var out []subnet
	for _, s := range strings.Split(list, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			return nil, applet.Usagef("invalid subnet list %q: empty entry", list)
		}
		var p netip.Prefix
		var err error
		if strings.Contains(s, "/") {
			p, err = netip.ParsePrefix(s)
		} else {
			var a netip.Addr
			if a, err = netip.ParseAddr(s); err == nil {
				p = netip.PrefixFrom(a, a.BitLen())
			}
		}
		if err != nil || p.Addr().Zone() != "" {
			return nil, applet.Usagef("invalid subnet %q: want ADDRESS/BITS, e.g. 10.0.0.0/8", s)
		}
		out = append(out, subnet{text: s, prefix: p})
	}
	if len(out) > maxNets {
		return nil, applet.Usagef("too many subnets: %d, at most %d", len(out), maxNets)
	}
	return out, nil
}

// consts fills the BPF program's subnet table: net and mask in network
// order, IPv4 in the first four bytes.
func (c *config) consts() map[string]any {
	var nets [maxNets]bpfobj.TcpsubnetTcpsubnetNet
	for i, s := range c.subnets {
		a := s.prefix.Addr().Unmap()
		bits := s.prefix.Bits()
		n := &nets[i]
		size := 16
		n.Family = netfmt.AFInet6
		if a.Is4() {
			size, n.Family = 4, netfmt.AFInet
			if s.prefix.Addr().Is4In6() {
				bits = max(bits-96, 0)
			}
		}
		raw := a.AsSlice()
		for b := 0; b < size; b++ {
			switch {
			case bits >= 8*(b+1):
				n.Mask[b] = 0xff
			case bits > 8*b:
				n.Mask[b] = byte(0xff << (8 - (bits - 8*b)))
			}
			n.Net[b] = raw[b] & n.Mask[b]
		}
	}
	return map[string]any{"nets": nets, "nets_len": uint32(len(c.subnets))}
}
