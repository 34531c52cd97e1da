package statsnoop

import (
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/output"
)

// printer formats events as libbpf-tools' statsnoop prints them, or as JSON.
type printer struct {
	cfg     *config
	startNs uint64 // the first event's time: -t counts from there
	line    []byte
	json    output.JSONLine
}

func newPrinter(cfg *config) *printer { return &printer{cfg: cfg} }

func (p *printer) header() []byte {
	var b []byte
	if p.cfg.timestamp {
		b = append(b, "TIME(s)        "...)
	}
	return append(b, "PID     COMM                 RET  ERR  PATH\n"...)
}

// fdErr splits the result as the peer prints it: RET 0 and ERR 0, or RET
// -1 and ERR errno.
func fdErr(ret int32) (int64, int64) {
	if ret >= 0 {
		return int64(ret), 0
	}
	return -1, int64(-ret)
}

func (p *printer) format(e *event) []byte {
	if p.startNs == 0 {
		p.startNs = e.tsNs
	}
	if p.cfg.json {
		return p.formatJSON(e)
	}
	b := p.line[:0]
	if p.cfg.timestamp {
		start := len(b)
		b = strconv.AppendFloat(b, float64(e.tsNs-p.startNs)/1e9, 'f', 9, 64)
		for len(b)-start < 14 {
			b = append(b, ' ')
		}
		b = append(b, ' ')
	}
	b = output.AppendIntPadRight(b, int64(e.pid), 7)
	b = append(b, ' ')
	start := len(b)
	b = output.AppendEscaped(b, e.comm)
	for len(b)-start < 20 {
		b = append(b, ' ')
	}
	b = append(b, ' ')
	ret, errno := fdErr(e.ret)
	b = output.AppendIntPadRight(b, ret, 4)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, errno, 4)
	b = append(b, ' ')
	b = output.AppendEscaped(b, e.path)
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
	j.Str("syscall", []byte(e.syscallName()))
	ret, errno := fdErr(e.ret)
	j.Int("ret", ret)
	j.Int("err", errno)
	if errno != 0 {
		j.Str("err_name", []byte(unix.ErrnoName(unix.Errno(errno))))
	}
	j.Str("path", e.path)
	return j.Bytes()
}
