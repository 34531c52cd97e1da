package tcpcong

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"time"

	"github.com/probebox/probebox/core/hist"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/netfmt"
	"github.com/probebox/probebox/core/output"
)

// Layouts of struct tcpcong_key, tcpcong_stat and tcpcong_hist
// (bpfobj/tcpcong/tcpcong.h); the layout test checks them.
const (
	keyPorts = 32 // lport, rport, family
	keySize  = 40
	states   = 5
	statSize = 8 * (states + 1)
	maxSlots = 32
	histSize = 4 * maxSlots
)

// stateNames are enum tcp_ca_state's, as libbpf-tools prints them.
var stateNames = [states]string{"open", "disorder", "cwr", "recovery", "loss"}

// entry is a connection's times (ns, by state) and changes, or with -d
// one state's histogram.
type entry struct {
	family       uint16
	laddr, raddr netip.Addr
	lport, rport uint16
	ns           [states]uint64
	changes      uint64
	state        uint32
	slots        []uint64
}

func decodeStat(k, v []byte) (entry, error) {
	if len(k) < keySize || len(v) < statSize {
		return entry{}, fmt.Errorf("short tcpcong entry: %d+%d bytes", len(k), len(v))
	}
	ne := binary.NativeEndian
	e := entry{lport: ne.Uint16(k[keyPorts:]), rport: ne.Uint16(k[keyPorts+2:]), family: ne.Uint16(k[keyPorts+4:])}
	e.laddr, _ = netfmt.Addr(e.family, k[0:16])
	e.raddr, _ = netfmt.Addr(e.family, k[16:32])
	for i := range e.ns {
		e.ns[i] = ne.Uint64(v[8*i:])
	}
	e.changes = ne.Uint64(v[8*states:])
	return e, nil
}

func decodeHist(k, v []byte) (entry, error) {
	if len(k) < 4 || len(v) < histSize {
		return entry{}, fmt.Errorf("short tcpcong histogram: %d+%d bytes", len(k), len(v))
	}
	e := entry{state: binary.NativeEndian.Uint32(k), slots: make([]uint64, maxSlots)}
	for i := range e.slots {
		e.slots[i] = uint64(binary.NativeEndian.Uint32(v[4*i:]))
	}
	return e, nil
}

type printer struct {
	cfg  *config
	now  func() time.Time
	n    int
	unit string // "ms" or "us"
}

func newPrinter(cfg *config) *printer {
	p := &printer{cfg: cfg, now: time.Now, unit: "ms"}
	if cfg.micro {
		p.unit = "us"
	}
	return p
}

// in is ns in the output unit, truncated as libbpf-tools does.
func (p *printer) in(ns uint64) uint64 {
	if p.cfg.micro {
		return ns / 1000
	}
	return ns / 1000000
}

// columns are libbpf-tools' columns in its order: open, disorder,
// recovery, cwr, loss (the kernel numbers cwr before recovery).
var columns = [states]int{0, 1, 3, 2, 4}

func sortEntries(es []entry) {
	slices.SortFunc(es, func(a, b entry) int {
		return cmp.Or(cmp.Compare(a.family, b.family), cmp.Compare(a.state, b.state), a.laddr.Compare(b.laddr),
			cmp.Compare(a.lport, b.lport), a.raddr.Compare(b.raddr), cmp.Compare(a.rport, b.rport))
	})
}

func addrPort(a netip.Addr, port uint16) []byte {
	b := a.AppendTo(nil)
	b = append(b, '/')
	return strconv.AppendUint(b, uint64(port), 10)
}

// summary is libbpf-tools': a blank line, the clock with -T, then either
// a histogram per state (-d) or the IPv4 table and the IPv6 table, each
// under its header.
func (p *printer) summary(w *bytes.Buffer, es []entry, dropped []loader.Dropped) {
	p.n++
	sortEntries(es)
	if p.cfg.json {
		p.json(w, es, dropped)
		return
	}
	b := []byte{'\n'}
	if p.cfg.timestamp {
		b = output.AppendClock(b, p.now())
		b = append(b, '\n')
	}
	if p.cfg.dist {
		units := map[bool]string{false: "msecs", true: "usecs"}[p.cfg.micro]
		for _, e := range es {
			if e.state >= states {
				continue
			}
			b = append(b, "tcp_congest_state = "...)
			b = append(b, stateNames[e.state]...)
			b = append(b, '\n')
			w.Write(b)
			b = b[:0]
			hist.PrintLog2(w, e.slots, units)
		}
		w.Write(b)
		return
	}
	for _, family := range []uint16{netfmt.AFInet, netfmt.AFInet6} {
		suffix := ""
		if family == netfmt.AFInet6 {
			suffix = "6"
		}
		b = output.AppendPadRight(b, []byte("LAddrPort"+suffix), 32)
		b = append(b, ' ')
		b = output.AppendPadRight(b, []byte("RAddrPort"+suffix), 32)
		for _, h := range []string{" Open_", " Dod_", " Rcov_", " Cwr_", " Los_"} {
			b = append(b, h...)
			b = append(b, p.unit...)
		}
		b = append(b, " Chgs \n"...)
		for _, e := range es {
			if e.family != family || e.changes == 0 {
				continue
			}
			b = output.AppendPadRight(b, addrPort(e.laddr, e.lport), 32)
			b = append(b, ' ')
			b = output.AppendPadRight(b, addrPort(e.raddr, e.rport), 32)
			for i, s := range columns {
				width := 7
				if i >= 3 {
					width = 6
				}
				b = append(b, ' ')
				b = appendUintLeft(b, p.in(e.ns[s]), width)
			}
			b = append(b, ' ')
			b = appendUintLeft(b, e.changes, 5)
			b = append(b, '\n')
		}
	}
	w.Write(b)
}

// appendUintLeft is printf "%-*llu".
func appendUintLeft(b []byte, v uint64, width int) []byte {
	return output.AppendPadRight(b, strconv.AppendUint(nil, v, 10), width)
}

func (p *printer) json(w *bytes.Buffer, es []entry, dropped []loader.Dropped) {
	var j, c output.JSONLine
	j.Reset()
	j.Int("summary", int64(p.n))
	if p.cfg.timestamp {
		j.Str("time", output.AppendClock(nil, p.now()))
	}
	list := []byte{'['}
	first := true
	for _, e := range es {
		if p.cfg.dist && e.state >= states {
			continue
		}
		if !first {
			list = append(list, ',')
		}
		if p.cfg.dist {
			first = false
			list = append(list, `{"state":`...)
			list = output.AppendJSONString(list, []byte(stateNames[e.state]))
			list = append(list, ',')
			list = append(list, hist.AppendLog2JSON(nil, e.slots, map[bool]string{false: "msecs", true: "usecs"}[p.cfg.micro])[1:]...)
			continue
		}
		first = false
		c.Reset()
		c.Int("ip", int64(netfmt.IPVersion(e.family)))
		c.Str("laddr", e.laddr.AppendTo(nil))
		c.Uint("lport", uint64(e.lport))
		c.Str("raddr", e.raddr.AppendTo(nil))
		c.Uint("rport", uint64(e.rport))
		c.Str("unit", []byte(p.unit))
		for s, name := range stateNames {
			c.Uint(name, p.in(e.ns[s]))
		}
		c.Uint("changes", e.changes)
		list = append(list, bytes.TrimSuffix(c.Bytes(), []byte("\n"))...)
	}
	if p.cfg.dist {
		j.Raw("histograms", append(list, ']'))
	} else {
		j.Raw("connections", append(list, ']'))
	}
	j.Raw("not_counted", loader.AppendJSON(nil, dropped))
	w.Write(j.Bytes())
}
