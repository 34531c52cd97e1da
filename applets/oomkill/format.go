package oomkill

import (
	"bytes"
	"strconv"
	"time"

	"github.com/probebox/probebox/core/output"
)

// printer formats events as libbpf-tools' oomkill prints them, or as JSON.
type printer struct {
	json    bool
	now     func() time.Time
	loadavg func() []byte // /proc/loadavg, read when the kill is printed
	line    []byte
	j       output.JSONLine
}

func newPrinter(json bool) *printer { return &printer{json: json, now: time.Now} }

func quotedComm(b, comm []byte) []byte {
	b = append(b, "(\""...)
	b = output.AppendEscaped(b, comm)
	return append(b, "\")"...)
}

func (p *printer) format(e *event) []byte {
	avg := bytes.TrimSpace(p.loadavg())
	if p.json {
		j := &p.j
		j.Reset()
		j.Str("time", output.AppendClock(nil, p.now()))
		j.Uint("timestamp_ns", e.tsNs)
		j.Int("trigger_pid", int64(e.fpid))
		j.Str("trigger_comm", e.fcomm)
		j.Int("victim_pid", int64(e.tpid))
		j.Str("victim_comm", e.tcomm)
		j.Uint("pages", e.pages)
		if e.fromKprobe {
			j.Str("pages_of", []byte("oom_domain"))
		} else {
			j.Str("pages_of", []byte("victim_total_vm"))
		}
		j.Str("loadavg", avg)
		return j.Bytes()
	}
	b := p.line[:0]
	b = output.AppendClock(b, p.now())
	b = append(b, " Triggered by PID "...)
	b = strconv.AppendUint(b, uint64(e.fpid), 10)
	b = append(b, ' ')
	b = quotedComm(b, e.fcomm)
	b = append(b, ", OOM kill of PID "...)
	b = strconv.AppendUint(b, uint64(e.tpid), 10)
	b = append(b, ' ')
	b = quotedComm(b, e.tcomm)
	b = append(b, ", "...)
	b = strconv.AppendUint(b, e.pages, 10)
	b = append(b, " pages, loadavg: "...)
	b = output.AppendEscaped(b, avg)
	b = append(b, '\n')
	p.line = b
	return b
}
