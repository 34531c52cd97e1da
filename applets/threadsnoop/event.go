package threadsnoop

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// eventSize is sizeof(struct thread_event) (bpfobj/threadsnoop/threadsnoop.h);
// the layout test checks it against the bpf2go type.
const eventSize = 48

// event is a decoded struct thread_event.
type event struct {
	tsNs, start uint64
	pid, tid    uint32
	cgroupID    uint64
	comm        []byte
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short thread event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.tsNs = ne.Uint64(b[0:])
	e.start = ne.Uint64(b[8:])
	e.pid = ne.Uint32(b[16:])
	e.tid = ne.Uint32(b[20:])
	e.cgroupID = ne.Uint64(b[24:])
	e.comm = b[32:48]
	if i := bytes.IndexByte(e.comm, 0); i >= 0 {
		e.comm = e.comm[:i]
	}
	return nil
}
