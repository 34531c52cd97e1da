package tcpconnect

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// Offsets in struct tcpconnect_event and struct tcpconnect_key
// (bpfobj/include/tcpconnect.h); the layout test checks them against the
// bpf2go types.
const (
	offAF     = 20
	offSaddr  = 28
	offDaddr  = 44
	offComm   = 60
	eventSize = 80

	keySaddr = 0
	keyDaddr = 16
	keyAF    = 32
	keySize  = 40
)

type event struct {
	tsNs          uint64
	pid, tid, uid uint32
	af            uint16
	lport, dport  uint16
	saddr, daddr  []byte
	comm          []byte
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short tcpconnect event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.tsNs = ne.Uint64(b)
	e.pid, e.tid, e.uid = ne.Uint32(b[8:]), ne.Uint32(b[12:]), ne.Uint32(b[16:])
	e.af, e.lport, e.dport = ne.Uint16(b[offAF:]), ne.Uint16(b[offAF+2:]), ne.Uint16(b[offAF+4:])
	e.saddr = b[offSaddr : offSaddr+16]
	e.daddr = b[offDaddr : offDaddr+16]
	e.comm = cstr(b[offComm : offComm+16])
	return nil
}

// flow is one key of the counts map (-c) with its count.
type flow struct {
	af           uint16
	saddr, daddr [16]byte
	lport, dport uint16
	connects     uint64
}

func decodeFlow(k []byte, count uint64) (flow, error) {
	if len(k) < keySize {
		return flow{}, fmt.Errorf("short tcpconnect key: %d bytes", len(k))
	}
	ne := binary.NativeEndian
	f := flow{af: ne.Uint16(k[keyAF:]), lport: ne.Uint16(k[keyAF+2:]), dport: ne.Uint16(k[keyAF+4:]), connects: count}
	copy(f.saddr[:], k[keySaddr:])
	copy(f.daddr[:], k[keyDaddr:])
	return f, nil
}

func cstr(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}
