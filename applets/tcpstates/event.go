package tcpstates

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// Offsets in struct tcpstates_event (bpfobj/tcpstates/tcpstates.h); the
// layout test checks them against the bpf2go type.
const (
	offPID    = 24
	offAF     = 28
	offStates = 34
	offLaddr  = 36
	offRaddr  = 52
	offComm   = 68
	eventSize = 88
)

type event struct {
	skaddr, tsNs, deltaNs uint64
	pid                   uint32
	af, lport, rport      uint16
	oldstate, newstate    uint8
	laddr, raddr          []byte
	comm                  []byte
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short tcpstates event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.skaddr, e.tsNs, e.deltaNs = ne.Uint64(b), ne.Uint64(b[8:]), ne.Uint64(b[16:])
	e.pid = ne.Uint32(b[offPID:])
	e.af, e.lport, e.rport = ne.Uint16(b[offAF:]), ne.Uint16(b[offAF+2:]), ne.Uint16(b[offAF+4:])
	e.oldstate, e.newstate = b[offStates], b[offStates+1]
	e.laddr = b[offLaddr : offLaddr+16]
	e.raddr = b[offRaddr : offRaddr+16]
	e.comm = b[offComm : offComm+16]
	if i := bytes.IndexByte(e.comm, 0); i >= 0 {
		e.comm = e.comm[:i]
	}
	return nil
}
