package tcprtt

import (
	"net/netip"
	"strconv"
	"time"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/tcprtt"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/netfmt"
)

// key modes, TCPRTT_KEY_* in bpfobj/tcprtt/tcprtt.h
const (
	keyAll   = 0
	keyLaddr = 1
	keyRaddr = 2
)

type config struct {
	timestamp, ms, extended, json, verbose bool
	key                                    uint8
	lport, rport                           uint16
	laddr, raddr                           netip.Addr
	duration                               int
	every                                  time.Duration
	count                                  int
	btf                                    string
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{
		timestamp: inv.Bool("timestamp"), ms: inv.Bool("millisecond"), extended: inv.Bool("extension"),
		json: inv.Bool("json"), verbose: inv.Bool("verbose"), btf: inv.String("btf"),
	}
	if len(inv.Args) > 0 {
		return nil, applet.Usagef("unexpected argument %q", inv.Args[0])
	}
	switch b, B := inv.Bool("byladdr"), inv.Bool("byraddr"); {
	case b && B:
		return nil, applet.Usagef("-b and -B cannot be used together")
	case b:
		c.key = keyLaddr
	case B:
		c.key = keyRaddr
	}
	var err error
	for _, p := range []struct {
		flag, name string
		into       *uint16
	}{{"lport", "-p", &c.lport}, {"rport", "-P", &c.rport}} {
		if inv.IsSet(p.flag) {
			if *p.into, err = port(inv.String(p.flag)); err != nil {
				return nil, applet.Usagef("invalid port %q for %s: want 1-65535", inv.String(p.flag), p.name)
			}
		}
	}
	for _, a := range []struct {
		flag, name string
		into       *netip.Addr
	}{{"laddr", "-a", &c.laddr}, {"raddr", "-A", &c.raddr}} {
		if inv.IsSet(a.flag) {
			if *a.into, err = netip.ParseAddr(inv.String(a.flag)); err != nil || a.into.Zone() != "" {
				return nil, applet.Usagef("invalid address %q for %s: want an IPv4 or IPv6 address", inv.String(a.flag), a.name)
			}
		}
	}
	if c.laddr.IsValid() && c.raddr.IsValid() && c.laddr.Is4() != c.raddr.Is4() {
		return nil, applet.Usagef("-a and -A cannot mix IPv4 and IPv6")
	}
	interval, duration := inv.Int("interval"), inv.Int("duration")
	switch {
	case inv.IsSet("interval") && (interval <= 0 || interval > 1<<31-1):
		return nil, applet.Usagef("invalid interval %d for -i: want a positive number of seconds", interval)
	case inv.IsSet("duration") && (duration <= 0 || duration > 1<<31-1):
		return nil, applet.Usagef("invalid duration %d for -d: want a positive number of seconds", duration)
	}
	// As bcc's tcprtt: without -i one summary at the end of -d (or at
	// Ctrl-C); with -d the last summary is the one at or after it.
	if interval == 0 {
		interval = duration
	}
	c.every = time.Duration(interval) * time.Second
	c.duration = duration
	if duration > 0 {
		c.count = (duration + interval - 1) / interval
	}
	return c, nil
}

func port(s string) (uint16, error) {
	n, err := strconv.ParseUint(s, 10, 16)
	if err == nil && n == 0 {
		err = strconv.ErrRange
	}
	return uint16(n), err
}

func (c *config) banner() string {
	if c.duration > 0 {
		return "Tracing TCP RTT for " + strconv.Itoa(c.duration) + " secs.\n"
	}
	return "Tracing TCP RTT... Hit Ctrl-C to end.\n"
}

func (c *config) unit() string {
	if c.ms {
		return "msecs"
	}
	return "usecs"
}

// addrConst is an address as the BPF filter compares it: its family and
// 16 bytes, IPv4 in the first 4.
func addrConst(a netip.Addr) (uint16, [16]uint8) {
	var b [16]uint8
	switch {
	case !a.IsValid():
		return 0, b
	case a.Is4():
		v := a.As4()
		copy(b[:], v[:])
		return netfmt.AFInet, b
	}
	b = a.As16()
	return netfmt.AFInet6, b
}

// consts are the BPF program's filters and settings, set before load.
func (c *config) consts() map[string]any {
	laf, la := addrConst(c.laddr)
	raf, ra := addrConst(c.raddr)
	return map[string]any{
		"filter_lport": c.lport, "filter_rport": c.rport,
		"filter_laddr_af": laf, "filter_laddr": la, "filter_raddr_af": raf, "filter_raddr": ra,
		"key_mode": c.key, "in_ms": c.ms, "extended": c.extended,
	}
}

// histEntries, when not 0, sizes the hists map: a test's way to fill it.
var histEntries uint32

func spec() (*ebpf.CollectionSpec, error) {
	s, err := bpfobj.LoadTcprtt()
	if err != nil {
		return nil, err
	}
	// tcprtt only fills maps: no event buffer.
	delete(s.Maps, "events")
	delete(s.Maps, "lost_events")
	if m, ok := s.Maps["hists"]; ok && histEntries > 0 {
		m.MaxEntries = histEntries
	}
	return s, nil
}
