package tcpretrans

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	bpfobj "github.com/probebox/probebox/bpfobj/tcpretrans"
	"github.com/probebox/probebox/core/netfmt"
)

// Offsets in struct retrans_event and struct retrans_flow
// (bpfobj/include/tcpretrans.h); the layout test checks them against the
// bpf2go types.
const (
	offEvSaddr   = 24
	offEvDaddr   = 40
	eventSize    = 56
	typeRetrans  = 1
	typeLossProb = 2
)

type event struct {
	tsNs                 uint64
	pid, seq             uint32
	family, lport, dport uint16
	state, typ           uint8
	saddr, daddr         netip.Addr
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short tcpretrans event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.tsNs = ne.Uint64(b)
	e.pid, e.seq = ne.Uint32(b[8:]), ne.Uint32(b[12:])
	e.family, e.lport, e.dport = ne.Uint16(b[16:]), ne.Uint16(b[18:]), ne.Uint16(b[20:])
	e.state, e.typ = b[22], b[23]
	e.saddr = addr(e.family, b[offEvSaddr:offEvSaddr+16])
	e.daddr = addr(e.family, b[offEvDaddr:offEvDaddr+16])
	return nil
}

// flow is one -c count: a connection's addresses and its retransmits.
type flow struct {
	family       uint16
	lport, dport uint16
	saddr, daddr netip.Addr
	count        uint64
}

// flowFromKey turns a counts map entry into a flow.
func flowFromKey(k *bpfobj.TcpretransRetransFlow, count uint64) flow {
	return flow{family: k.Family, lport: k.Lport, dport: k.Dport, count: count,
		saddr: addr(k.Family, k.Saddr[:]), daddr: addr(k.Family, k.Daddr[:])}
}

// addr decodes an address in network byte order (IPv4 in the first 4
// bytes); the BPF side sends IPv4 and IPv6 only.
func addr(family uint16, b []byte) netip.Addr {
	a, _ := netfmt.Addr(family, b)
	return a
}

// ipVersion is bcc's IP column: 4 or 6.
func ipVersion(family uint16) int64 { return int64(netfmt.IPVersion(family)) }
