package capable

import (
	"strconv"
	"time"

	"github.com/probebox/probebox/core/output"
	"github.com/probebox/probebox/core/stacks"
	"github.com/probebox/probebox/core/syms"
)

// printer formats events as libbpf-tools' capable prints them, or as JSON.
type printer struct {
	cfg    *config
	stacks *stacks.Resolver // -K, -U
	now    func() time.Time
	line   []byte
	json   output.JSONLine
}

func newPrinter(cfg *config) *printer { return &printer{cfg: cfg, now: time.Now} }

func (p *printer) header() []byte {
	if p.cfg.extra {
		return []byte("TIME     UID   PID     TID     COMM             CAP     NAME                 AUDIT   VERDICT INSETID\n")
	}
	return []byte("TIME     UID   PID     COMM             CAP     NAME                 AUDIT   VERDICT\n")
}

// known prints a flag the hook may not know: "-" when it does not.
func known(b []byte, v int32) []byte {
	if v < 0 {
		return append(b, '-')
	}
	return strconv.AppendInt(b, int64(v), 10)
}

func pad(b []byte, start, width int) []byte {
	for len(b)-start < width {
		b = append(b, ' ')
	}
	return b
}

func (p *printer) format(e *event) []byte {
	if p.cfg.json {
		return p.formatJSON(e)
	}
	b := p.line[:0]
	b = output.AppendClock(b, p.now())
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.uid), 5)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.pid), 7)
	b = append(b, ' ')
	if p.cfg.extra {
		b = output.AppendIntPadRight(b, int64(e.tid), 7)
		b = append(b, ' ')
	}
	start := len(b)
	b = output.AppendEscaped(b, e.comm)
	b = pad(b, start, 16)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.cap), 7)
	b = append(b, ' ')
	b = output.AppendPadRight(b, []byte(capName(e.cap)), 20)
	b = append(b, ' ')
	start = len(b)
	b = known(b, e.audit)
	b = pad(b, start, 7)
	b = append(b, ' ')
	if p.cfg.extra {
		b = output.AppendPadRight(b, []byte(e.verdict()), 7)
		b = append(b, ' ')
		b = known(b, e.insetid)
	} else {
		b = append(b, e.verdict()...)
	}
	b = append(b, '\n')
	if p.stacks != nil {
		b = stacks.Format{Frame: syms.FrameFormat{Offset: true, Module: true}}.AppendEventStacks(b, p.sample(e))
	}
	p.line = b
	return b
}

// sample names the event's stacks (-K, -U).
func (p *printer) sample(e *event) stacks.Sample {
	return p.stacks.Resolve(stacks.Key{PID: e.pid, TID: e.tid, KernelID: e.kernelStack, UserID: e.userStack}, 0)
}

func (p *printer) formatJSON(e *event) []byte {
	j := &p.json
	j.Reset()
	j.Str("time", output.AppendClock(nil, p.now()))
	j.Uint("timestamp_ns", e.tsNs)
	j.Uint("uid", uint64(e.uid))
	j.Int("pid", int64(e.pid))
	j.Int("tid", int64(e.tid))
	j.Str("comm", e.comm)
	j.Int("cap", int64(e.cap))
	j.Str("name", []byte(capName(e.cap)))
	if e.audit >= 0 {
		j.Bool("audit", e.audit == 1)
	}
	if e.insetid >= 0 {
		j.Bool("insetid", e.insetid == 1)
	}
	j.Str("verdict", []byte(e.verdict()))
	j.Int("ret", int64(e.ret))
	j.Uint("cgroup_id", e.cgroupID)
	if p.stacks != nil {
		s := p.sample(e)
		ff := syms.FrameFormat{Offset: true, Module: true}
		if !s.NoKernel {
			j.StrList("kernel_stack", stacks.FrameNames(s.Kernel, ff))
		}
		if !s.NoUser {
			j.StrList("user_stack", stacks.FrameNames(s.User, ff))
		}
	}
	return j.Bytes()
}
