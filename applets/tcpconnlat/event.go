package tcpconnlat

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// Offsets in struct tcpconnlat_event (bpfobj/tcpconnlat/tcpconnlat.h);
// the layout test checks them against the bpf2go type.
const (
	offPID    = 16
	offAF     = 20
	offSaddr  = 28
	offDaddr  = 44
	offComm   = 60
	eventSize = 80
)

type event struct {
	tsNs, deltaNs    uint64
	pid              uint32
	af, lport, dport uint16
	saddr, daddr     []byte
	comm             []byte
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short tcpconnlat event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.tsNs, e.deltaNs = ne.Uint64(b), ne.Uint64(b[8:])
	e.pid = ne.Uint32(b[offPID:])
	e.af, e.lport, e.dport = ne.Uint16(b[offAF:]), ne.Uint16(b[offAF+2:]), ne.Uint16(b[offAF+4:])
	e.saddr = b[offSaddr : offSaddr+16]
	e.daddr = b[offDaddr : offDaddr+16]
	e.comm = b[offComm : offComm+16]
	if i := bytes.IndexByte(e.comm, 0); i >= 0 {
		e.comm = e.comm[:i]
	}
	return nil
}
