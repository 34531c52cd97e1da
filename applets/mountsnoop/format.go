package mountsnoop

import (
	"bytes"
	"strconv"
	"time"

	"github.com/probebox/probebox/core/output"
)

// printer formats events as libbpf-tools' mountsnoop prints them, or as
// JSON.
type printer struct {
	cfg  *config
	now  func() time.Time
	line []byte
	json output.JSONLine
}

func newPrinter(cfg *config) *printer { return &printer{cfg: cfg, now: time.Now} }

func (p *printer) header() []byte {
	var b []byte
	if p.cfg.timestamp {
		b = append(b, "TIME     "...)
	}
	return append(b, "COMM             PID     TID     MNT_NS      CALL\n"...)
}

// quoted appends "s", escaped, with inner quotes backslashed so the
// string's end stays unambiguous.
func quoted(b, s []byte) []byte {
	b = append(b, '"')
	for {
		i := bytes.IndexByte(s, '"')
		if i < 0 {
			break
		}
		b = output.AppendEscaped(b, s[:i])
		b = append(b, '\\', '"')
		s = s[i+1:]
	}
	b = output.AppendEscaped(b, s)
	return append(b, '"')
}

// call renders the syscall as libbpf-tools does: mount("src", "dst",
// "fs", MS_..., "data") = 0.
func call(b []byte, e *event) []byte {
	switch e.op {
	case opMount:
		b = append(b, "mount("...)
		b = quoted(b, e.str[0])
		b = append(b, ", "...)
		b = quoted(b, e.str[1])
		b = append(b, ", "...)
		b = quoted(b, e.str[2])
		b = append(b, ", "...)
		b = append(b, msFlags(e.flags)...)
		b = append(b, ", "...)
		b = quoted(b, e.str[3])
	case opUmount:
		b = append(b, "umount("...)
		b = quoted(b, e.str[0])
		b = append(b, ", "...)
		b = append(b, bitNames(e.flags, umountNames)...)
	case opFsopen:
		b = append(b, "fsopen("...)
		b = quoted(b, e.str[0])
		b = append(b, ", "...)
		b = append(b, bitNames(e.flags, fsopenNames)...)
	case opFsconfig:
		b = append(b, "fsconfig("...)
		b = strconv.AppendInt(b, int64(e.int0), 10)
		b = append(b, ", "...)
		b = quoted(b, []byte(fsconfigCmd(e.int1)))
		b = append(b, ", "...)
		b = quoted(b, e.str[0])
		b = append(b, ", "...)
		b = quoted(b, e.str[1])
		b = append(b, ", "...)
		b = strconv.AppendInt(b, int64(e.int2), 10)
	case opFsmount:
		b = append(b, "fsmount("...)
		b = strconv.AppendInt(b, int64(e.int0), 10)
		b = append(b, ", "...)
		b = quoted(b, []byte(bitNames(e.flags, fsmountNames)))
		b = append(b, ", "...)
		b = quoted(b, []byte(bitNames(uint64(e.attrFlags), attrNames)))
	case opMoveMount:
		b = append(b, "move_mount("...)
		b = append(b, fdString(e.int0)...)
		b = append(b, ", "...)
		b = quoted(b, e.str[0])
		b = append(b, ", "...)
		b = append(b, fdString(e.int1)...)
		b = append(b, ", "...)
		b = quoted(b, e.str[1])
		b = append(b, ", "...)
		b = append(b, bitNames(e.flags, moveMountNames)...)
	default:
		b = append(b, "op"...)
		b = strconv.AppendUint(b, uint64(e.op), 10)
		b = append(b, '(')
	}
	b = append(b, ") = "...)
	return append(b, retString(e.ret)...)
}

func (p *printer) format(e *event) []byte {
	if p.cfg.json {
		return p.formatJSON(e)
	}
	if p.cfg.detailed {
		return p.formatDetailed(e)
	}
	b := p.line[:0]
	if p.cfg.timestamp {
		b = output.AppendClock(b, p.now())
		b = append(b, ' ')
	}
	start := len(b)
	b = output.AppendEscaped(b, e.comm)
	for len(b)-start < 16 {
		b = append(b, ' ')
	}
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.pid), 7)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.tid), 7)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.mntNS), 11)
	b = append(b, ' ')
	b = call(b, e)
	b = append(b, '\n')
	p.line = b
	return b
}

// formatDetailed is -d: one "NAME:   value" line per field, a blank line
// after each event.
func (p *printer) formatDetailed(e *event) []byte {
	b := p.line[:0]
	indent := ""
	if p.cfg.timestamp {
		b = output.AppendClock(b, p.now())
		b = append(b, " \n"...)
		indent = "    "
	}
	field := func(name string, v []byte) {
		b = append(b, indent...)
		b = append(b, name...)
		b = output.AppendEscaped(b, v)
		b = append(b, '\n')
	}
	num := func(v int64) []byte { return strconv.AppendInt(nil, v, 10) }
	field("PID:    ", num(int64(e.pid)))
	field("TID:    ", num(int64(e.tid)))
	field("COMM:   ", e.comm)
	field("OP:     ", []byte(e.opName()))
	field("RET:    ", []byte(retString(e.ret)))
	field("LAT:    ", append(num(int64(e.deltaNs/1000)), "us"...))
	field("MNT_NS: ", num(int64(e.mntNS)))
	switch e.op {
	case opMount:
		field("FS:     ", e.str[2])
		field("SOURCE: ", e.str[0])
		field("TARGET: ", e.str[1])
		field("DATA:   ", e.str[3])
		field("FLAGS:  ", []byte(msFlags(e.flags)))
	case opUmount:
		field("TARGET: ", e.str[0])
		field("FLAGS:  ", []byte(bitNames(e.flags, umountNames)))
	case opFsopen:
		field("FS:     ", e.str[0])
		field("FLAGS:  ", []byte(bitNames(e.flags, fsopenNames)))
	case opFsconfig:
		field("FD:     ", num(int64(e.int0)))
		field("CMD:    ", []byte(fsconfigCmd(e.int1)))
		field("KEY:    ", e.str[0])
		field("VALUE:  ", e.str[1])
	case opFsmount:
		field("FS_FD:       ", num(int64(e.int0)))
		field("FLAGS:       ", []byte(bitNames(e.flags, fsmountNames)))
		field("ATTR_FLAGS:  ", []byte(bitNames(uint64(e.attrFlags), attrNames)))
	case opMoveMount:
		field("FROM_DFD:       ", []byte(fdString(e.int0)))
		field("FROM_PATHNAME:  ", e.str[0])
		field("TO_DFD:         ", []byte(fdString(e.int1)))
		field("TO_PATHNAME:    ", e.str[1])
		field("FLAGS:          ", []byte(bitNames(e.flags, moveMountNames)))
	}
	b = append(b, '\n')
	p.line = b
	return b
}

func (p *printer) formatJSON(e *event) []byte {
	j := &p.json
	j.Reset()
	j.Uint("timestamp_ns", e.tsNs)
	j.Int("pid", int64(e.pid))
	j.Int("tid", int64(e.tid))
	j.Str("comm", e.comm)
	j.Uint("mnt_ns", uint64(e.mntNS))
	j.Str("op", []byte(e.opName()))
	j.Int("ret", int64(e.ret))
	j.Str("ret_name", []byte(retString(e.ret)))
	j.Uint("latency_us", e.deltaNs/1000)
	switch e.op {
	case opMount:
		j.Str("source", e.str[0])
		j.Str("target", e.str[1])
		j.Str("fs", e.str[2])
		j.Str("data", e.str[3])
		j.Str("flags", []byte(msFlags(e.flags)))
	case opUmount:
		j.Str("target", e.str[0])
		j.Str("flags", []byte(bitNames(e.flags, umountNames)))
	case opFsopen:
		j.Str("fs", e.str[0])
		j.Str("flags", []byte(bitNames(e.flags, fsopenNames)))
	case opFsconfig:
		j.Int("fd", int64(e.int0))
		j.Str("cmd", []byte(fsconfigCmd(e.int1)))
		j.Str("key", e.str[0])
		j.Str("value", e.str[1])
		j.Int("aux", int64(e.int2))
	case opFsmount:
		j.Int("fs_fd", int64(e.int0))
		j.Str("flags", []byte(bitNames(e.flags, fsmountNames)))
		j.Str("attr_flags", []byte(bitNames(uint64(e.attrFlags), attrNames)))
	case opMoveMount:
		j.Str("from_dfd", []byte(fdString(e.int0)))
		j.Str("from_path", e.str[0])
		j.Str("to_dfd", []byte(fdString(e.int1)))
		j.Str("to_path", e.str[1])
		j.Str("flags", []byte(bitNames(e.flags, moveMountNames)))
	}
	j.Uint("flags_raw", e.flags)
	return j.Bytes()
}
