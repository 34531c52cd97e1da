package setuids

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
	"time"

	"github.com/probebox/probebox/core/output"
)

// eventSize is sizeof(struct setid_event) (bpfobj/setuids/setuids.h).
const eventSize = 64

type event struct {
	tsNs               uint64
	pid, tid, uid, gid uint32
	syscall            uint32
	ret                int32
	args               [3]int32
	comm               []byte
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short setuid event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.tsNs = ne.Uint64(b[0:])
	e.pid = ne.Uint32(b[8:])
	e.tid = ne.Uint32(b[12:])
	e.uid = ne.Uint32(b[16:])
	e.gid = ne.Uint32(b[20:])
	e.syscall = ne.Uint32(b[24:])
	e.ret = int32(ne.Uint32(b[28:]))
	for i := range e.args {
		e.args[i] = int32(ne.Uint32(b[32+4*i:]))
	}
	e.comm = b[48:64]
	if i := bytes.IndexByte(e.comm, 0); i >= 0 {
		e.comm = e.comm[:i]
	}
	return nil
}

func (e *event) name() string {
	if int(e.syscall) < len(names) {
		return names[e.syscall]
	}
	return strconv.Itoa(int(e.syscall))
}

// argNames are each call's arguments, in order; the fs calls' result is
// the previous id, not an error.
var argNames = [][]string{
	{"uid"}, {"uid"}, {"ruid", "euid"}, {"ruid", "euid", "suid"},
	{"gid"}, {"gid"}, {"rgid", "egid"}, {"rgid", "egid", "sgid"},
}

func (e *event) isFS() bool { return e.syscall == 1 || e.syscall == 5 }

// printer formats events as bpftrace's setuids.bt prints them, or JSON.
type printer struct {
	json bool
	now  func() time.Time
	line []byte
	j    output.JSONLine
}

func newPrinter(json bool) *printer { return &printer{json: json, now: time.Now} }

func (p *printer) header() []byte {
	return []byte("TIME     PID    COMM             UID    SYSCALL   ARGS (RET)\n")
}

func (p *printer) format(e *event) []byte {
	var an []string
	if int(e.syscall) < len(argNames) {
		an = argNames[e.syscall]
	}
	if p.json {
		j := &p.j
		j.Reset()
		j.Str("time", output.AppendClock(nil, p.now()))
		j.Uint("timestamp_ns", e.tsNs)
		j.Int("pid", int64(e.pid))
		j.Int("tid", int64(e.tid))
		j.Str("comm", e.comm)
		j.Uint("uid", uint64(e.uid))
		j.Uint("gid", uint64(e.gid))
		j.Str("syscall", []byte(e.name()))
		for i, n := range an {
			j.Int(n, int64(e.args[i]))
		}
		if e.isFS() {
			j.Int("prev", int64(e.ret))
		} else {
			j.Int("ret", int64(e.ret))
		}
		return j.Bytes()
	}
	b := p.line[:0]
	b = output.AppendClock(b, p.now())
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.pid), 6)
	b = append(b, ' ')
	start := len(b)
	b = output.AppendEscaped(b, e.comm)
	for len(b)-start < 16 {
		b = append(b, ' ')
	}
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.uid), 6)
	b = append(b, ' ')
	b = output.AppendPadRight(b, []byte(e.name()), 9)
	for i, n := range an {
		b = append(b, ' ')
		b = append(b, n...)
		b = append(b, '=')
		b = strconv.AppendInt(b, int64(e.args[i]), 10)
	}
	if e.isFS() {
		b = append(b, " (prev"...)
		b = append(b, an[0]...)
		b = append(b, '=')
	} else {
		b = append(b, " ("...)
	}
	b = strconv.AppendInt(b, int64(e.ret), 10)
	b = append(b, ")\n"...)
	p.line = b
	return b
}
