package oomkill

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// eventSize is sizeof(struct oom_event) (bpfobj/oomkill/oomkill.h).
const eventSize = 64

type event struct {
	tsNs, pages  uint64
	fpid, tpid   uint32
	fromKprobe   bool
	fcomm, tcomm []byte
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short OOM event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.tsNs = ne.Uint64(b[0:])
	e.pages = ne.Uint64(b[8:])
	e.fpid = ne.Uint32(b[16:])
	e.tpid = ne.Uint32(b[20:])
	e.fromKprobe = ne.Uint32(b[24:]) != 0
	e.fcomm = cstring(b[32:48])
	e.tcomm = cstring(b[48:64])
	return nil
}

func cstring(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}
