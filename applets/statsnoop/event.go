package statsnoop

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// eventSize is sizeof(struct stat_event) (bpfobj/statsnoop/statsnoop.h).
const (
	headerSize = 40
	eventSize  = headerSize + 256
)

// syscallNames follow STAT_SYS_* in statsnoop.h.
var syscallNames = [...]string{"statfs", "stat", "statx", "fstatat", "lstat"}

type event struct {
	tsNs       uint64
	pid, tid   uint32
	ret        int32
	syscall    uint32
	comm, path []byte
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short stat event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.tsNs = ne.Uint64(b[0:])
	e.pid = ne.Uint32(b[8:])
	e.tid = ne.Uint32(b[12:])
	e.ret = int32(ne.Uint32(b[16:]))
	e.syscall = ne.Uint32(b[20:])
	e.comm = cstring(b[24:40])
	e.path = cstring(b[headerSize:eventSize])
	return nil
}

func (e *event) syscallName() string {
	if int(e.syscall) < len(syscallNames) {
		return syscallNames[e.syscall]
	}
	return fmt.Sprint(e.syscall)
}

func cstring(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}
