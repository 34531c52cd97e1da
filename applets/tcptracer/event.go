package tcptracer

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// Offsets in struct tcptracer_event (bpfobj/tcptracer/tcptracer.h); the
// layout test checks them against the bpf2go type.
const (
	offAF     = 20
	offType   = 26
	offSaddr  = 28
	offDaddr  = 44
	offComm   = 60
	eventSize = 80

	typeConnect = 1
	typeAccept  = 2
	typeClose   = 3
)

type event struct {
	tsNs             uint64
	pid, uid, netns  uint32
	af, sport, dport uint16
	typ              uint8
	saddr, daddr     []byte
	comm             []byte
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short tcptracer event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.tsNs = ne.Uint64(b)
	e.pid, e.uid, e.netns = ne.Uint32(b[8:]), ne.Uint32(b[12:]), ne.Uint32(b[16:])
	e.af, e.sport, e.dport = ne.Uint16(b[offAF:]), ne.Uint16(b[offAF+2:]), ne.Uint16(b[offAF+4:])
	e.typ = b[offType]
	e.saddr = b[offSaddr : offSaddr+16]
	e.daddr = b[offDaddr : offDaddr+16]
	e.comm = b[offComm : offComm+16]
	if i := bytes.IndexByte(e.comm, 0); i >= 0 {
		e.comm = e.comm[:i]
	}
	return nil
}
