package tcpdrop

import (
	"encoding/binary"
	"fmt"
)

// Offsets in struct tcpdrop_event (bpfobj/tcpdrop/tcpdrop.h); the layout
// test checks them against the bpf2go type.
const (
	offAF     = 20
	offState  = 26
	offSaddr  = 28
	offDaddr  = 44
	eventSize = 64
)

type event struct {
	tsNs             uint64
	pid              uint32
	stackID          int32
	reason           uint32
	af, sport, dport uint16
	state, flags     uint8
	saddr, daddr     []byte
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short tcpdrop event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.tsNs = ne.Uint64(b)
	e.pid, e.stackID, e.reason = ne.Uint32(b[8:]), int32(ne.Uint32(b[12:])), ne.Uint32(b[16:])
	e.af, e.sport, e.dport = ne.Uint16(b[offAF:]), ne.Uint16(b[offAF+2:]), ne.Uint16(b[offAF+4:])
	e.state, e.flags = b[offState], b[offState+1]
	e.saddr = b[offSaddr : offSaddr+16]
	e.daddr = b[offDaddr : offDaddr+16]
	return nil
}
