package solisten

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// Offsets in struct solisten_event (bpfobj/solisten/solisten.h); the
// layout test checks them against the bpf2go type.
const (
	offAF     = 20
	offAddr   = 28
	offComm   = 44
	eventSize = 64
)

type event struct {
	tsNs          uint64
	pid           uint32
	ret           int32
	backlog       uint32
	af, typ, port uint16
	addr, comm    []byte
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short solisten event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.tsNs = ne.Uint64(b)
	e.pid, e.ret, e.backlog = ne.Uint32(b[8:]), int32(ne.Uint32(b[12:])), ne.Uint32(b[16:])
	e.af, e.typ, e.port = ne.Uint16(b[offAF:]), ne.Uint16(b[offAF+2:]), ne.Uint16(b[offAF+4:])
	e.addr = b[offAddr : offAddr+16]
	e.comm = b[offComm : offComm+16]
	if i := bytes.IndexByte(e.comm, 0); i >= 0 {
		e.comm = e.comm[:i]
	}
	return nil
}
