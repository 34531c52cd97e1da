package ttysnoop

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// eventSize is sizeof(struct tty_event) (bpfobj/ttysnoop/ttysnoop.h); the
// layout test checks it against the bpf2go type.
const eventSize = 296

// event is a decoded struct tty_event.
type event struct {
	tsNs, cgroupID uint64
	pid            uint32
	comm, data     []byte
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short tty event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.tsNs = ne.Uint64(b[0:])
	e.pid = ne.Uint32(b[8:])
	n := ne.Uint32(b[12:])
	e.cgroupID = ne.Uint64(b[16:])
	e.comm = b[24:40]
	if i := bytes.IndexByte(e.comm, 0); i >= 0 {
		e.comm = e.comm[:i]
	}
	if n > chunk {
		return fmt.Errorf("tty event of %d bytes, more than %d", n, chunk)
	}
	e.data = b[40 : 40+n]
	return nil
}
