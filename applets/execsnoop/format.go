package execsnoop

import (
	"bytes"
	"time"

	"github.com/probebox/probebox/core/output"
)

// printer formats events as libbpf-tools' execsnoop prints them, or as JSON.
type printer struct {
	cfg     *config
	color   bool // stdout is a terminal that wants colour: failures in red
	startNs uint64
	now     func() time.Time
	line    []byte
	argBuf  []byte
	json    output.JSONLine
	argList [][]byte
}

func newPrinter(cfg *config, startNs uint64) *printer {
	return &printer{cfg: cfg, startNs: startNs, now: time.Now}
}

func (p *printer) header() []byte {
	var b []byte
	if p.cfg.timeCol {
		b = output.AppendPadRight(b, []byte("TIME"), 8)
		b = append(b, ' ')
	}
	if p.cfg.timestamp {
		b = output.AppendPadRight(b, []byte("TIME(s)"), 8)
		b = append(b, ' ')
	}
	if p.cfg.printUID {
		b = output.AppendPadRight(b, []byte("UID"), 6)
		b = append(b, ' ')
	}
	return append(b, "PCOMM            PID    PPID   RET ARGS\n"...)
}

// format returns the line for e, or nil when user-space filters drop it.
// The result is valid until the next call.
func (p *printer) format(e *event) []byte {
	p.argBuf = p.argBuf[:0]
	p.argList = p.argList[:0]
	truncated := e.eachArg(p.cfg.maxArgs, func(arg []byte) {
		if len(p.argBuf) > 0 {
			p.argBuf = append(p.argBuf, ' ')
		}
		p.argBuf = append(p.argBuf, arg...)
		p.argList = append(p.argList, arg)
	})
	if p.cfg.line != "" && !bytes.Contains(p.argBuf, []byte(p.cfg.line)) {
		return nil
	}
	if p.cfg.json {
		return p.formatJSON(e, truncated)
	}
	b := p.line[:0]
	if p.cfg.timeCol {
		b = output.AppendClock(b, p.now())
		b = append(b, ' ')
	}
	if p.cfg.timestamp {
		b = output.AppendElapsed(b, p.seconds(e), 8, 3)
		b = append(b, ' ')
	}
	if p.cfg.printUID {
		b = output.AppendIntPadRight(b, int64(e.uid), 6)
		b = append(b, ' ')
	}
	start := len(b)
	b = output.AppendEscaped(b, e.comm)
	b = pad(b, start, 16)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.pid), 6)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.ppid), 6)
	b = append(b, ' ')
	if p.color && e.retval != 0 {
		b = append(b, red...)
		b = output.AppendIntPadLeft(b, int64(e.retval), 3)
		b = append(b, reset...)
	} else {
		b = output.AppendIntPadLeft(b, int64(e.retval), 3)
	}
	b = append(b, ' ')
	for i, arg := range p.argList {
		if i > 0 {
			b = append(b, ' ')
		}
		if p.cfg.quote {
			b = appendQuoted(b, arg)
		} else {
			b = output.AppendEscaped(b, arg)
		}
	}
	if truncated {
		b = append(b, " ..."...)
	}
	b = append(b, '\n')
	p.line = b
	return b
}

func (p *printer) formatJSON(e *event, truncated bool) []byte {
	j := &p.json
	j.Reset()
	if p.cfg.timeCol {
		j.Str("time", output.AppendClock(nil, p.now()))
	}
	j.Uint("timestamp_ns", e.tsNs)
	j.Str("comm", e.comm)
	j.Int("pid", int64(e.pid))
	j.Int("ppid", int64(e.ppid))
	j.Uint("uid", uint64(e.uid))
	j.Int("ret", int64(e.retval))
	j.StrList("args", p.argList)
	j.Bool("args_truncated", truncated)
	return j.Bytes()
}

func (p *printer) seconds(e *event) float64 {
	if e.tsNs < p.startNs {
		return 0
	}
	return float64(e.tsNs-p.startNs) / 1e9
}

const red, reset = "\x1b[31m", "\x1b[0m"

// appendQuoted prints an argument in double quotes, as execsnoop -q does,
// with inner quotes backslashed and control characters escaped.
func appendQuoted(b, arg []byte) []byte {
	b = append(b, '"')
	for len(arg) > 0 {
		i := bytes.IndexByte(arg, '"')
		if i < 0 {
			b = output.AppendEscaped(b, arg)
			break
		}
		b = output.AppendEscaped(b, arg[:i])
		b = append(b, '\\', '"')
		arg = arg[i+1:]
	}
	return append(b, '"')
}

// pad adds spaces until the text since start is width bytes wide (printf %-Ns).
func pad(b []byte, start, width int) []byte {
	for len(b)-start < width {
		b = append(b, ' ')
	}
	return b
}
