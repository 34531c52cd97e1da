package tcptop

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"time"

	"github.com/cilium/ebpf"

	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/netfmt"
	"github.com/probebox/probebox/core/output"
)

// Layout of struct tcptop_key (bpfobj/tcptop/tcptop.h); the layout test
// checks it against the bpf2go type.
const (
	keyPID    = 32
	keyFamily = 40
	keyComm   = 44
	keySize   = 60
)

// flow is one key of the flows map with its bytes.
type flow struct {
	pid            uint32
	comm           []byte
	family         uint16
	lport, dport   uint16
	saddr, daddr   netip.Addr
	sent, received uint64
	key            []byte
}

func decodeFlow(k []byte, sent, received uint64) (flow, error) {
	if len(k) < keySize {
		return flow{}, fmt.Errorf("short tcptop key: %d bytes", len(k))
	}
	ne := binary.NativeEndian
	f := flow{pid: ne.Uint32(k[keyPID:]), lport: ne.Uint16(k[keyPID+4:]), dport: ne.Uint16(k[keyPID+6:]),
		family: ne.Uint16(k[keyFamily:]), sent: sent, received: received, key: slices.Clone(k)}
	f.saddr, _ = netfmt.Addr(f.family, k[0:16])
	f.daddr, _ = netfmt.Addr(f.family, k[16:32])
	f.comm = bytes.Clone(k[keyComm : keyComm+16])
	if i := bytes.IndexByte(f.comm, 0); i >= 0 {
		f.comm = f.comm[:i]
	}
	return f, nil
}

// drain copies the flows out and deletes them: each summary shows one
// interval's bytes.
func drain(m *ebpf.Map) ([]flow, error) {
	var (
		k  = make([]byte, keySize)
		v  = make([]byte, 16)
		fs []flow
	)
	it := m.Iterate()
	for it.Next(&k, &v) {
		f, err := decodeFlow(k, binary.NativeEndian.Uint64(v), binary.NativeEndian.Uint64(v[8:]))
		if err != nil {
			return nil, err
		}
		fs = append(fs, f)
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("reading flows: %w", err)
	}
	for _, f := range fs {
		if err := m.Delete(f.key); err != nil && !errors.Is(err, ebpf.ErrKeyNotExist) {
			return nil, fmt.Errorf("clearing flows: %w", err)
		}
	}
	return fs, nil
}

type printer struct {
	cfg      *config
	now      func() time.Time
	pidWidth int
	clear    bool
	n        int
}

func newPrinter(cfg *config) *printer { return &printer{cfg: cfg, now: time.Now, pidWidth: pidWidth()} }

// sortFlows orders as libbpf-tools: IPv4 before IPv6, then by the sort
// column, largest first (ties by PID and ports, so output is stable).
func (p *printer) sortFlows(fs []flow) {
	value := func(f flow) uint64 {
		switch p.cfg.sort {
		case sortSent:
			return f.sent
		case sortReceived:
			return f.received
		}
		return f.sent + f.received
	}
	slices.SortFunc(fs, func(a, b flow) int {
		return cmp.Or(cmp.Compare(a.family, b.family), cmp.Compare(value(b), value(a)),
			cmp.Compare(a.pid, b.pid), cmp.Compare(a.lport, b.lport), cmp.Compare(a.dport, b.dport))
	})
}

func endpoint(a netip.Addr, port uint16) []byte {
	b := a.AppendTo(nil)
	b = append(b, ':')
	return strconv.AppendUint(b, uint64(port), 10)
}

// summary is libbpf-tools' screen: "HH:MM:SS loadavg: ..." and a blank
// line (not with -S), the IPv4 table, then the IPv6 table under its own
// header, then a blank line.
func (p *printer) summary(w *bytes.Buffer, fs []flow, dropped []loader.Dropped, load string) {
	p.n++
	p.sortFlows(fs)
	if len(fs) > p.cfg.rows {
		fs = fs[:p.cfg.rows]
	}
	if p.cfg.json {
		p.json(w, fs, dropped, load)
		return
	}
	var b []byte
	if p.clear {
		b = append(b, "\x1b[H\x1b[2J"...)
	}
	if !p.cfg.noSummary {
		b = output.AppendClock(b, p.now())
		b = append(b, " loadavg: "...)
		b = append(b, load...)
		b = append(b, "\n\n"...)
	}
	b = p.header(b, "LADDR", "RADDR", 21)
	v6 := false
	for _, f := range fs {
		width := 21
		if f.family == netfmt.AFInet6 {
			width = 51
			if !v6 {
				b = append(b, '\n')
				b = p.header(b, "LADDR6", "RADDR6", 51)
				v6 = true
			}
		}
		b = output.AppendIntPadRight(b, int64(f.pid), p.pidWidth)
		b = append(b, ' ')
		c := f.comm
		if len(c) > 12 {
			c = c[:12]
		}
		b = output.AppendPadRight(b, output.AppendEscaped(nil, c), 12)
		b = append(b, ' ')
		b = output.AppendPadRight(b, endpoint(f.saddr, f.lport), width)
		b = append(b, ' ')
		b = output.AppendPadRight(b, endpoint(f.daddr, f.dport), width)
		b = append(b, ' ')
		b = output.AppendUintPadLeft(b, f.received/1024, 6)
		b = append(b, ' ')
		b = output.AppendUintPadLeft(b, f.sent/1024, 6)
		b = append(b, '\n')
	}
	b = append(b, '\n')
	w.Write(b)
}

func (p *printer) header(b []byte, l, r string, width int) []byte {
	b = output.AppendPadRight(b, []byte("PID"), p.pidWidth)
	b = append(b, " COMM         "...)
	b = output.AppendPadRight(b, []byte(l), width)
	b = append(b, ' ')
	b = output.AppendPadRight(b, []byte(r), width)
	return append(b, "  RX_KB  TX_KB\n"...)
}

func (p *printer) json(w *bytes.Buffer, fs []flow, dropped []loader.Dropped, load string) {
	var j output.JSONLine
	j.Reset()
	j.Int("summary", int64(p.n))
	j.Str("time", output.AppendClock(nil, p.now()))
	if !p.cfg.noSummary {
		j.Str("loadavg", []byte(load))
	}
	list := []byte{'['}
	var c output.JSONLine
	for i, f := range fs {
		if i > 0 {
			list = append(list, ',')
		}
		c.Reset()
		c.Uint("pid", uint64(f.pid))
		c.Str("comm", f.comm)
		c.Int("ip", int64(netfmt.IPVersion(f.family)))
		c.Str("laddr", f.saddr.AppendTo(nil))
		c.Uint("lport", uint64(f.lport))
		c.Str("raddr", f.daddr.AppendTo(nil))
		c.Uint("rport", uint64(f.dport))
		c.Uint("rx_bytes", f.received)
		c.Uint("tx_bytes", f.sent)
		list = append(list, bytes.TrimSuffix(c.Bytes(), []byte("\n"))...)
	}
	j.Raw("connections", append(list, ']'))
	j.Raw("not_counted", loader.AppendJSON(nil, dropped))
	w.Write(j.Bytes())
}
