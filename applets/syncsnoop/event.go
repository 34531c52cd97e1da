package syncsnoop

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"

	"github.com/probebox/probebox/core/output"
)

// Layout of struct sync_event (bpfobj/syncsnoop/syncsnoop.h); the layout
// test checks it against the bpf2go type.
const (
	offComm   = 20
	eventSize = 40
)

type event struct {
	tsNs          uint64
	pid, tid, sys uint32
	comm          []byte
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short sync event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.tsNs = ne.Uint64(b)
	e.pid, e.tid, e.sys = ne.Uint32(b[8:]), ne.Uint32(b[12:]), ne.Uint32(b[16:])
	e.comm = b[offComm : offComm+16]
	if i := bytes.IndexByte(e.comm, 0); i >= 0 {
		e.comm = e.comm[:i]
	}
	return nil
}

func (e *event) call() string {
	if e.sys >= 1 && int(e.sys) <= len(syscalls) {
		return syscalls[e.sys-1]
	}
	return "N/A"
}

// headerLine is libbpf-tools' "%-18s %-16s %s".
const headerLine = "TIME(s)            COMM             CALL\n"

// format appends one line: seconds since boot with 9 decimals, the
// process name and the call; or a JSON object.
func format(b []byte, e *event, json bool) []byte {
	if json {
		var j output.JSONLine
		j.Reset()
		j.Uint("ts_ns", e.tsNs)
		j.Uint("pid", uint64(e.pid))
		j.Uint("tid", uint64(e.tid))
		j.Str("comm", e.comm)
		j.Str("call", []byte(e.call()))
		return append(b, j.Bytes()...)
	}
	ts := strconv.AppendUint(nil, e.tsNs/1e9, 10)
	ts = append(ts, '.')
	frac := strconv.AppendUint(nil, e.tsNs%1e9, 10)
	for i := len(frac); i < 9; i++ {
		ts = append(ts, '0')
	}
	ts = append(ts, frac...)
	b = output.AppendPadRight(b, ts, 18)
	b = append(b, ' ')
	b = output.AppendPadRight(b, output.AppendEscaped(nil, e.comm), 16)
	b = append(b, ' ')
	b = append(b, e.call()...)
	return append(b, '\n')
}
