package opensnoop

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/probebox/probebox/core/output"
)

// printer formats events as libbpf-tools' opensnoop prints them, or JSON.
type printer struct {
	cfg   *config
	now   func() time.Time
	line  []byte
	clock []byte // -T's time in --json, reused
	json  output.JSONLine
	// resolve makes a relative path absolute for -F; replaceable in tests.
	resolve func(pid uint32, dfd int32, path string) string
}

func newPrinter(cfg *config) *printer {
	return &printer{cfg: cfg, now: time.Now, resolve: resolveProc}
}

func (p *printer) header() []byte {
	var b []byte
	if p.cfg.timestamp {
		b = append(b, "TIME     "...)
	}
	if p.cfg.printUID {
		b = append(b, "UID     "...)
	}
	b = append(b, "PID    COMM              FD ERR "...)
	if p.cfg.extended {
		b = append(b, "FLAGS    MODE "...)
	}
	return append(b, "PATH\n"...)
}

func (p *printer) path(e *event) []byte {
	if !p.cfg.fullPath || len(e.fname) == 0 || e.fname[0] == '/' {
		return e.fname
	}
	return []byte(p.resolve(e.pid, e.dfd, string(e.fname)))
}

// resolveProc joins a relative path to the process's working directory
// (or openat's directory fd), read from /proc while the process lives.
func resolveProc(pid uint32, dfd int32, path string) string {
	link := fmt.Sprintf("/proc/%d/cwd", pid)
	if dfd != atFDCWD {
		link = fmt.Sprintf("/proc/%d/fd/%d", pid, dfd)
	}
	dir, err := os.Readlink(link)
	if err != nil {
		return path // the process is gone: the relative path is all there is
	}
	return filepath.Join(dir, path)
}

func (p *printer) format(e *event) []byte {
	fd, errno := int64(e.ret), int64(0)
	if e.ret < 0 {
		fd, errno = -1, int64(-e.ret)
	}
	if p.cfg.json {
		j := &p.json
		j.Reset()
		j.Uint("timestamp_ns", e.tsNs)
		if p.cfg.timestamp {
			p.clock = output.AppendClock(p.clock[:0], p.now())
			j.Str("time", p.clock)
		}
		j.Uint("pid", uint64(e.pid))
		j.Uint("tid", uint64(e.tid))
		j.Uint("uid", uint64(e.uid))
		j.Str("comm", e.comm)
		j.Int("fd", fd)
		j.Int("err", errno)
		j.Uint("flags", uint64(e.flags))
		j.Uint("mode", uint64(e.mode))
		j.Str("path", p.path(e))
		return j.Bytes()
	}
	b := p.line[:0]
	if p.cfg.timestamp {
		b = output.AppendClock(b, p.now())
		b = append(b, ' ')
	}
	if p.cfg.printUID {
		b = output.AppendIntPadRight(b, int64(e.uid), 7)
		b = append(b, ' ')
	}
	b = output.AppendIntPadRight(b, int64(e.pid), 6)
	b = append(b, ' ')
	start := len(b)
	b = output.AppendEscaped(b, e.comm)
	for len(b)-start < 16 {
		b = append(b, ' ')
	}
	b = append(b, ' ')
	b = output.AppendIntPadLeft(b, fd, 3)
	b = append(b, ' ')
	b = output.AppendIntPadLeft(b, errno, 3)
	b = append(b, ' ')
	if p.cfg.extended {
		b = appendOctal(b, uint64(e.flags), 8)
		b = append(b, ' ')
		b = appendOctal(b, uint64(e.mode), 4)
		b = append(b, ' ')
	}
	b = output.AppendEscaped(b, p.path(e))
	b = append(b, '\n')
	p.line = b
	return b
}

// appendOctal is printf "%0*o".
func appendOctal(b []byte, v uint64, width int) []byte {
	var tmp [24]byte
	s := strconv.AppendUint(tmp[:0], v, 8)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}
