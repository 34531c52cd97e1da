package dcsnoop

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"golang.org/x/sys/unix"
)

// Layout of struct dcsnoop_event (bpfobj/dcsnoop/dcsnoop.h).
const (
	offPid    = 8
	offTid    = 12
	offType   = 16
	offComm   = 20
	offName   = 36
	nameLen   = 64
	eventSize = 104
)

// DCSNOOP_MISS, DCSNOOP_REFERENCE
const (
	typeMiss      = 0
	typeReference = 1
)

type event struct {
	tsNs       uint64
	pid, tid   uint32
	typ        uint32
	comm, name []byte
}

func cstr(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short dcsnoop event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.tsNs = ne.Uint64(b)
	e.pid, e.tid, e.typ = ne.Uint32(b[offPid:]), ne.Uint32(b[offTid:]), ne.Uint32(b[offType:])
	e.comm = cstr(b[offComm : offComm+16])
	e.name = cstr(b[offName : offName+nameLen])
	return nil
}

// monotonicNow is CLOCK_MONOTONIC in ns, the clock of the events' ts_ns.
func monotonicNow() uint64 {
	var ts unix.Timespec
	unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts)
	return uint64(ts.Nano())
}
