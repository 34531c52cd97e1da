package bashreadline

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// eventSize is sizeof(struct line_event) (bpfobj/bashreadline/bashreadline.h);
// the layout test checks it against the bpf2go type.
const eventSize = 296

// event is a decoded struct line_event.
type event struct {
	tsNs, cgroupID uint64
	pid, uid       uint32
	comm, line     []byte
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short readline event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.tsNs = ne.Uint64(b[0:])
	e.cgroupID = ne.Uint64(b[8:])
	e.pid = ne.Uint32(b[16:])
	e.uid = ne.Uint32(b[20:])
	e.comm = cstr(b[24:40])
	e.line = cstr(b[40:296])
	return nil
}

func cstr(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}
