package execsnoop

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	"golang.org/x/sys/unix"
)

// headerSize is the fixed part of struct exec_event (bpfobj/include/execsnoop.h);
// event_test.go checks it against the bpf2go-generated type.
const headerSize = 48

// event is a decoded struct exec_event. Args slices point into the sample
// and are valid only until the next sample is read.
type event struct {
	tsNs      uint64
	pid, ppid int32
	uid       uint32
	retval    int32
	argsCount int32
	comm      []byte
	args      []byte // NUL-separated, args_size bytes
}

func (e *event) decode(b []byte) error {
	if len(b) < headerSize {
		return fmt.Errorf("short exec event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.tsNs = ne.Uint64(b[0:])
	e.pid = int32(ne.Uint32(b[8:]))
	e.ppid = int32(ne.Uint32(b[12:]))
	e.uid = ne.Uint32(b[16:])
	e.retval = int32(ne.Uint32(b[20:]))
	e.argsCount = int32(ne.Uint32(b[24:]))
	size := int(ne.Uint32(b[28:]))
	e.comm = cstring(b[32:headerSize])
	if size > len(b)-headerSize {
		size = len(b) - headerSize
	}
	e.args = b[headerSize : headerSize+size]
	return nil
}

// eachArg calls fn for each argument that was read; it reports whether the
// kernel saw more arguments than --max-args allowed.
func (e *event) eachArg(maxArgs int, fn func(arg []byte)) (truncated bool) {
	rest := e.args
	n := int(e.argsCount)
	truncated = n > maxArgs
	if truncated {
		n = maxArgs
	}
	for i := 0; i < n && len(rest) > 0; i++ {
		arg, after, _ := bytes.Cut(rest, []byte{0})
		fn(arg)
		rest = after
	}
	return truncated
}

func cstring(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

// monotonicNow is CLOCK_MONOTONIC in ns, the clock of bpf_ktime_get_ns.
func monotonicNow() uint64 {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
		return uint64(time.Now().UnixNano())
	}
	return uint64(ts.Nano())
}
