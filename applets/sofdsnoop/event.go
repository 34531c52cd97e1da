package sofdsnoop

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

// Layout of struct sofdsnoop_event (bpfobj/sofdsnoop/sofdsnoop.h); the
// layout test checks it against the bpf2go type.
const (
	offSockIno = 24
	offFD      = 32
	offIndex   = 48
	offComm    = 56
	offName    = 72
	nameLen    = 64
	eventSize  = offName + nameLen
	maxFDs     = 32 // MAX_FDS in sofdsnoop.bpf.c
	actionRecv = 1
)

type event struct {
	tsNs            uint64
	pid, tid        uint32
	action          uint32
	sockFD          int32
	sockIno         uint64
	fd              int32
	mode            uint32
	ino             uint64
	index, total    uint32
	comm, dentry    []byte
	name            []byte // what NAME shows (resolve)
	fromProc        bool   // name read from /proc/PID/fd
	scratch, socket []byte
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short sofdsnoop event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.tsNs = ne.Uint64(b)
	e.pid, e.tid, e.action = ne.Uint32(b[8:]), ne.Uint32(b[12:]), ne.Uint32(b[16:])
	e.sockFD = int32(ne.Uint32(b[20:]))
	e.sockIno = ne.Uint64(b[offSockIno:])
	e.fd, e.mode = int32(ne.Uint32(b[offFD:])), ne.Uint32(b[offFD+4:])
	e.ino = ne.Uint64(b[offFD+8:])
	e.index, e.total = ne.Uint32(b[offIndex:]), ne.Uint32(b[offIndex+4:])
	e.comm = cstr(b[offComm : offComm+16])
	e.dentry = cstr(b[offName : offName+nameLen])
	return nil
}

func cstr(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

// procRoot is where /proc is (a test may point it elsewhere).
var procRoot = "/proc"

// resolve sets name: the link /proc/PID/fd/FD names when it still leads
// to the file the kernel saw (same inode), as the peers print it; else
// what the kernel saw: "socket:[ino]", "pipe:[ino]", "anon_inode:NAME"
// or the file's own name (without its directories); "N/A" when the
// descriptor was not open.
func (e *event) resolve(proc string) {
	e.fromProc = false
	e.socket = append(append(e.socket[:0], "socket:["...), strconv.FormatUint(e.sockIno, 10)...)
	e.socket = append(e.socket, ']')
	if e.mode == 0 && e.ino == 0 {
		e.name = append(e.name[:0], "N/A"...)
		return
	}
	path := proc + "/" + strconv.FormatUint(uint64(e.pid), 10) + "/fd/" + strconv.FormatInt(int64(e.fd), 10)
	var st unix.Stat_t
	if link, err := os.Readlink(path); err == nil && unix.Stat(path, &st) == nil && st.Ino == e.ino {
		e.name = append(e.name[:0], link...)
		e.fromProc = true
		return
	}
	e.name = appendKernelName(e.name[:0], e.mode, e.ino, e.dentry)
}

func appendKernelName(b []byte, mode uint32, ino uint64, dentry []byte) []byte {
	switch {
	case mode&syscall.S_IFMT == syscall.S_IFSOCK:
		b = append(b, "socket:["...)
	case mode&syscall.S_IFMT == syscall.S_IFIFO && len(dentry) == 0:
		b = append(b, "pipe:["...)
	case mode&syscall.S_IFMT == 0: // anonymous inodes have no type
		return append(append(b, "anon_inode:"...), dentry...)
	default:
		return append(b, dentry...)
	}
	b = strconv.AppendUint(b, ino, 10)
	return append(b, ']')
}
