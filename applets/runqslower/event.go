package runqslower

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// Layout of struct runqslower_event (bpfobj/runqslower/runqslower.h); the
// layout test checks it against the bpf2go type.
const (
	offTask     = 24
	offPrevTask = 40
	commLen     = 16
	eventSize   = offPrevTask + commLen
)

type event struct {
	deltaUS                 uint64
	pid, tgid, prevPID, cpu uint32
	task, prevTask          []byte
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short runqslower event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.deltaUS = ne.Uint64(b)
	e.pid, e.tgid, e.prevPID, e.cpu = ne.Uint32(b[8:]), ne.Uint32(b[12:]), ne.Uint32(b[16:]), ne.Uint32(b[20:])
	e.task = cstr(b[offTask : offTask+commLen])
	e.prevTask = cstr(b[offPrevTask : offPrevTask+commLen])
	return nil
}

func cstr(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}
