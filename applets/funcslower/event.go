package funcslower

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
	"time"

	"github.com/probebox/probebox/core/output"
	"github.com/probebox/probebox/core/stacks"
	"github.com/probebox/probebox/core/syms"
)

// Layout of struct funcslower_event (bpfobj/funcslower/funcslower.h).
const (
	offArgs   = 16
	offPID    = offArgs + maxArgs*8
	offComm   = offPID + 16
	offStacks = offComm + 16
	eventSize = offStacks + 8
)

type event struct {
	deltaNS, retval uint64
	args            [maxArgs]uint64
	pid, tid, idx   uint32
	comm            []byte
	// Stack ids at the return (-K, -U); stacks.NotCollected without.
	kernelStack, userStack int32
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short funcslower event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.deltaNS, e.retval = ne.Uint64(b), ne.Uint64(b[8:])
	for i := range e.args {
		e.args[i] = ne.Uint64(b[offArgs+8*i:])
	}
	e.pid, e.tid, e.idx = ne.Uint32(b[offPID:]), ne.Uint32(b[offPID+4:]), ne.Uint32(b[offPID+8:])
	c := b[offComm : offComm+16]
	if i := bytes.IndexByte(c, 0); i >= 0 {
		c = c[:i]
	}
	e.comm = c
	e.kernelStack, e.userStack = int32(ne.Uint32(b[offStacks:])), int32(ne.Uint32(b[offStacks+4:]))
	return nil
}

type printer struct {
	cfg    *config
	stacks *stacks.Resolver // -K, -U
	names  []string
	start  time.Time
	now    func() time.Time
	line   []byte
	json   output.JSONLine
}

func newPrinter(cfg *config, names []string) *printer {
	return &printer{cfg: cfg, names: names, start: time.Now(), now: time.Now}
}

func (p *printer) unit() string {
	if p.cfg.micro {
		return "us"
	}
	return "ms"
}

func (p *printer) header() []byte {
	min := float64(p.cfg.minNS) / 1e6
	if p.cfg.micro {
		min = float64(p.cfg.minNS) / 1e3
	}
	b := fmt.Appendf(nil, "Tracing function calls slower than %g %s... Ctrl+C to quit.\n", min, p.unit())
	if p.cfg.clock {
		b = fmt.Appendf(b, "%-8s ", "TIME")
	}
	if p.cfg.elapsed {
		b = fmt.Appendf(b, "%-12s ", "TIME(s)")
	}
	b = fmt.Appendf(b, "%-14s %-6s %7s %16s %s", "COMM", "PID", "LAT("+p.unit()+")", "RVAL", "FUNC")
	if p.cfg.nargs > 0 {
		b = append(b, " ARGS"...)
	}
	return append(b, '\n')
}

func (p *printer) name(e *event) string {
	if int(e.idx) < len(p.names) {
		return p.names[e.idx]
	}
	return "?"
}

func (p *printer) format(e *event) []byte {
	if p.cfg.json {
		j := &p.json
		j.Reset()
		if p.cfg.clock {
			j.Str("time", output.AppendClock(nil, p.now()))
		}
		j.Str("comm", e.comm)
		j.Uint("pid", uint64(e.pid))
		j.Uint("tid", uint64(e.tid))
		j.Uint("lat_ns", e.deltaNS)
		j.Str("func", []byte(p.name(e)))
		j.Uint("retval", e.retval)
		if p.cfg.nargs > 0 {
			list := []byte{'['}
			for i := 0; i < p.cfg.nargs; i++ {
				if i > 0 {
					list = append(list, ',')
				}
				list = strconv.AppendUint(list, e.args[i], 10)
			}
			j.Raw("args", append(list, ']'))
		}
		if p.stacks != nil {
			s := p.sample(e)
			if !s.NoKernel {
				j.StrList("kernel_stack", stacks.FrameNames(s.Kernel, frameFormat))
			}
			if !s.NoUser {
				j.StrList("user_stack", stacks.FrameNames(s.User, frameFormat))
			}
		}
		return j.Bytes()
	}
	b := p.line[:0]
	if p.cfg.clock {
		b = output.AppendClock(b, p.now())
		b = append(b, ' ')
	}
	if p.cfg.elapsed {
		b = fmt.Appendf(b, "%-12.6f ", p.now().Sub(p.start).Seconds())
	}
	comm := output.AppendEscaped(nil, e.comm)
	if len(comm) > 14 {
		comm = comm[:14]
	}
	b = output.AppendPadRight(b, comm, 14)
	lat := float64(e.deltaNS) / 1e6
	if p.cfg.micro {
		lat = float64(e.deltaNS) / 1e3
	}
	b = fmt.Appendf(b, " %-6d %7.2f %16x ", e.pid, lat, e.retval)
	b = output.AppendEscaped(b, []byte(p.name(e)))
	for i := 0; i < p.cfg.nargs; i++ {
		b = fmt.Appendf(b, " 0x%x", e.args[i])
	}
	b = append(b, '\n')
	if p.stacks != nil {
		b = stacks.Format{Frame: frameFormat}.AppendEventStacks(b, p.sample(e))
	}
	p.line = b
	return b
}

// frameFormat: stack frames with offsets and kernel modules, as bcc's
// funcslower prints them.
var frameFormat = syms.FrameFormat{Offset: true, Module: true}

// sample names the stacks of e (-K, -U), taken where the call returned.
func (p *printer) sample(e *event) stacks.Sample {
	return p.stacks.Resolve(stacks.Key{PID: e.pid, TID: e.tid, KernelID: e.kernelStack, UserID: e.userStack}, 0)
}
