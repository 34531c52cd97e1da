package sigsnoop

import (
	"strconv"
	"time"

	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/output"
	"github.com/probebox/probebox/core/signame"
)

// printer formats events as libbpf-tools' sigsnoop prints them, or as JSON.
type printer struct {
	cfg  *config
	now  func() time.Time
	line []byte
	json output.JSONLine
}

func newPrinter(cfg *config) *printer { return &printer{cfg: cfg, now: time.Now} }

func (p *printer) header() []byte {
	return []byte("TIME     PID     COMM             SIG          TPID    TCOMM            RESULT\n")
}

func (p *printer) format(e *event) []byte {
	if p.cfg.json {
		return p.formatJSON(e)
	}
	b := p.line[:0]
	b = output.AppendClock(b, p.now())
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.pid), 7)
	b = append(b, ' ')
	b = padEscaped(b, e.comm, 16)
	b = append(b, ' ')
	if p.cfg.names && e.sig == 0 {
		b = output.AppendPadRight(b, []byte("N/A"), 12) // kill(pid, 0): a liveness check
	} else if p.cfg.names {
		b = output.AppendPadRight(b, []byte(signame.Name(int(e.sig))), 12)
	} else {
		b = output.AppendIntPadRight(b, int64(e.sig), 12)
	}
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.tpid), 7)
	b = append(b, ' ')
	b = padEscaped(b, e.tcomm, 16)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(e.ret), 10)
	b = append(b, '\n')
	p.line = b
	return b
}

// generateResults name signal_generate's result (TRACE_SIGNAL_*).
var generateResults = [...]string{"delivered", "ignored", "already_pending", "overflow_fail", "lose_info"}

// resultName says what RESULT means: an errno for the kill syscalls, the
// kernel's verdict for signal_generate.
func resultName(e *event) string {
	if e.source == 0 {
		if e.ret >= 0 && int(e.ret) < len(generateResults) {
			return generateResults[e.ret]
		}
		return strconv.Itoa(int(e.ret))
	}
	if e.ret >= 0 {
		return "ok"
	}
	if n := unix.ErrnoName(unix.Errno(-e.ret)); n != "" {
		return n
	}
	return strconv.Itoa(int(e.ret))
}

func (p *printer) formatJSON(e *event) []byte {
	j := &p.json
	j.Reset()
	j.Str("time", output.AppendClock(nil, p.now()))
	j.Uint("timestamp_ns", e.tsNs)
	j.Int("pid", int64(e.pid))
	j.Int("tid", int64(e.tid))
	j.Str("comm", e.comm)
	j.Int("sig", int64(e.sig))
	j.Str("sig_name", []byte(signame.Name(int(e.sig))))
	j.Int("tpid", int64(e.tpid))
	j.Str("tcomm", e.tcomm)
	j.Int("result", int64(e.ret))
	j.Str("result_name", []byte(resultName(e)))
	j.Str("source", []byte(e.sourceName()))
	return j.Bytes()
}

func padEscaped(b, s []byte, width int) []byte {
	start := len(b)
	b = output.AppendEscaped(b, s)
	for len(b)-start < width {
		b = append(b, ' ')
	}
	return b
}
