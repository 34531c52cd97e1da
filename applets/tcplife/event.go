package tcplife

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// Offsets in struct tcplife_event (bpfobj/tcplife/tcplife.h); the layout
// test checks them against the bpf2go type.
const (
	offPID    = 32
	offAF     = 36
	offLaddr  = 44
	offRaddr  = 60
	offComm   = 76
	eventSize = 96

	// map_full slots, TCPLIFE_FULL_* in tcplife.h
	slotBirth  = 0
	slotIdents = 1
)

type event struct {
	tsNs, spanNs, rxB, txB uint64
	pid                    uint32
	af, lport, rport       uint16
	laddr, raddr           []byte
	comm                   []byte
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short tcplife event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.tsNs, e.spanNs, e.rxB, e.txB = ne.Uint64(b), ne.Uint64(b[8:]), ne.Uint64(b[16:]), ne.Uint64(b[24:])
	e.pid = ne.Uint32(b[offPID:])
	e.af, e.lport, e.rport = ne.Uint16(b[offAF:]), ne.Uint16(b[offAF+2:]), ne.Uint16(b[offAF+4:])
	e.laddr = b[offLaddr : offLaddr+16]
	e.raddr = b[offRaddr : offRaddr+16]
	e.comm = b[offComm : offComm+16]
	if i := bytes.IndexByte(e.comm, 0); i >= 0 {
		e.comm = e.comm[:i]
	}
	return nil
}
