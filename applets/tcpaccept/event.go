package tcpaccept

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// Offsets in struct tcpaccept_event (bpfobj/include/tcpaccept.h); the
// layout test checks them against the bpf2go type.
const (
	offAF     = 16
	offLaddr  = 24
	offRaddr  = 40
	offComm   = 56
	eventSize = 72
)

type event struct {
	tsNs         uint64
	pid, tid     uint32
	af           uint16
	lport, rport uint16
	laddr, raddr []byte
	comm         []byte
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short tcpaccept event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.tsNs = ne.Uint64(b)
	e.pid, e.tid = ne.Uint32(b[8:]), ne.Uint32(b[12:])
	e.af, e.lport, e.rport = ne.Uint16(b[offAF:]), ne.Uint16(b[offAF+2:]), ne.Uint16(b[offAF+4:])
	e.laddr = b[offLaddr : offLaddr+16]
	e.raddr = b[offRaddr : offRaddr+16]
	e.comm = b[offComm : offComm+16]
	if i := bytes.IndexByte(e.comm, 0); i >= 0 {
		e.comm = e.comm[:i]
	}
	return nil
}
