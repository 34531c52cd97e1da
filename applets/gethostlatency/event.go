package gethostlatency

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// eventSize is sizeof(struct host_event) (bpfobj/gethostlatency/gethostlatency.h);
// the layout test checks it against the bpf2go type.
const eventSize = 144

// funcNames are the GHL_* values' functions.
var funcNames = [...]string{"getaddrinfo", "gethostbyname", "gethostbyname2"}

// event is a decoded struct host_event.
type event struct {
	tsNs, latNs, cgroupID uint64
	ret                   int64
	pid, tid, fn          uint32
	comm, host            []byte
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short lookup event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.tsNs = ne.Uint64(b[0:])
	e.latNs = ne.Uint64(b[8:])
	e.cgroupID = ne.Uint64(b[16:])
	e.ret = int64(ne.Uint64(b[24:]))
	e.pid = ne.Uint32(b[32:])
	e.tid = ne.Uint32(b[36:])
	e.fn = ne.Uint32(b[40:])
	e.comm = cstr(b[48:64])
	e.host = cstr(b[64:144])
	return nil
}

func cstr(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

func (e *event) funcName() string {
	if int(e.fn) < len(funcNames) {
		return funcNames[e.fn]
	}
	return "unknown"
}

// found says whether the lookup answered: getaddrinfo returned 0, or
// gethostbyname* a hostent.
func (e *event) found() bool {
	if e.fn == 0 {
		return e.ret == 0
	}
	return e.ret != 0
}
