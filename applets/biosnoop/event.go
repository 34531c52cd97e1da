package biosnoop

import (
	"encoding/binary"
	"fmt"
)

// Layout of struct biosnoop_event (bpfobj/include/biosnoop.h); the layout
// test checks it against the bpf2go type.
const (
	offLen    = 32
	offPID    = 36
	offFlags  = 40
	offDev    = 44
	offComm   = 48
	commLen   = 16
	eventSize = offComm + commLen
)

type event struct {
	tsNs, deltaNs, sector uint64
	qdeltaNs              int64
	len, pid, cmdFlags    uint32
	dev                   uint32
	comm                  []byte
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short biosnoop event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.tsNs, e.deltaNs = ne.Uint64(b), ne.Uint64(b[8:])
	e.qdeltaNs = int64(ne.Uint64(b[16:]))
	e.sector = ne.Uint64(b[24:])
	e.len, e.pid = ne.Uint32(b[offLen:]), ne.Uint32(b[offPID:])
	e.cmdFlags, e.dev = ne.Uint32(b[offFlags:]), ne.Uint32(b[offDev:])
	e.comm = b[offComm:eventSize]
	for i, c := range e.comm {
		if c == 0 {
			e.comm = e.comm[:i]
			break
		}
	}
	return nil
}
