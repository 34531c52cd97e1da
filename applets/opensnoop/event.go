package opensnoop

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// Offsets in struct open_event (bpfobj/include/opensnoop.h); the layout
// test checks them against the bpf2go type.
const (
	offComm  = 36
	offFname = 52
	nameLen  = 256
	atFDCWD  = -100
)

type event struct {
	tsNs          uint64
	pid, tid, uid uint32
	ret, dfd      int32
	flags, mode   uint32
	comm, fname   []byte
}

func (e *event) decode(b []byte) error {
	if len(b) < offFname+nameLen {
		return fmt.Errorf("short open event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.tsNs = ne.Uint64(b)
	e.pid, e.tid, e.uid = ne.Uint32(b[8:]), ne.Uint32(b[12:]), ne.Uint32(b[16:])
	e.ret, e.dfd = int32(ne.Uint32(b[20:])), int32(ne.Uint32(b[24:]))
	e.flags, e.mode = ne.Uint32(b[28:]), ne.Uint32(b[32:])
	e.comm = cstr(b[offComm : offComm+16])
	e.fname = cstr(b[offFname : offFname+nameLen])
	return nil
}

func cstr(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}
