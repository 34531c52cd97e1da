package mountsnoop

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// Layout of struct mount_event (bpfobj/mountsnoop/mountsnoop.h).
const (
	strLen     = 256
	headerSize = 80
	eventSize  = headerSize + 4*strLen
)

// Operations, as MOUNT_OP_* in mountsnoop.h.
const (
	opMount = iota
	opUmount
	opFsopen
	opFsconfig
	opFsmount
	opMoveMount
)

var opNames = [...]string{"MOUNT", "UMOUNT", "FSOPEN", "FSCONFIG", "FSMOUNT", "MOVE_MOUNT"}

type event struct {
	tsNs, deltaNs, flags uint64
	pid, tid, mntNS      uint32
	ret                  int32
	op, attrFlags        uint32
	int0, int1, int2     int32
	comm                 []byte
	str                  [4][]byte
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short mount event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.tsNs = ne.Uint64(b[0:])
	e.deltaNs = ne.Uint64(b[8:])
	e.flags = ne.Uint64(b[16:])
	e.pid = ne.Uint32(b[24:])
	e.tid = ne.Uint32(b[28:])
	e.mntNS = ne.Uint32(b[32:])
	e.ret = int32(ne.Uint32(b[36:]))
	e.op = ne.Uint32(b[40:])
	e.attrFlags = ne.Uint32(b[44:])
	e.int0 = int32(ne.Uint32(b[48:]))
	e.int1 = int32(ne.Uint32(b[52:]))
	e.int2 = int32(ne.Uint32(b[56:]))
	e.comm = cstring(b[64:80])
	for i := range e.str {
		e.str[i] = cstring(b[headerSize+i*strLen : headerSize+(i+1)*strLen])
	}
	return nil
}

func (e *event) opName() string {
	if int(e.op) < len(opNames) {
		return opNames[e.op]
	}
	return fmt.Sprint(e.op)
}

func cstring(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}
