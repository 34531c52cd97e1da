package lang

import (
	"fmt"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
)

// varSlot is a $variable's stack home for the whole program.
type varSlot struct {
	off int16
	typ Type
}

// gen generates one probe's program; with typing set it is the semantic
// analysis' walker (sema_types.go) and what it emits is not kept.
type gen struct {
	emitter
	c      *compiler
	t      *Target
	vars   map[string]varSlot
	typing bool // types only; emits nothing that is kept
	walked bool // calls the ustack walker (compiler.ustackWalker)
	// loops are the enclosing loops' labels, innermost last, for break
	// and continue.
	loops []loopLabels
	// subprogs are the callbacks of has_key()/len()/for, placed after
	// the program's own code.
	subprogs []asm.Instructions
	// varArea is how many bytes of the stack's top the $variables take
	// (declareVars), which a for loop's callback copies in and out.
	varArea int
}

type loopLabels struct{ brk, cont string }

// progType maps a target to its BPF program type and section.
func progType(t *Target) (ebpf.ProgramType, ebpf.AttachType) {
	switch t.Kind {
	case "tracepoint":
		return ebpf.TracePoint, ebpf.AttachNone
	case "kprobe", "kretprobe", "uprobe", "uretprobe", "usdt":
		return ebpf.Kprobe, ebpf.AttachNone
	case "fentry":
		return ebpf.Tracing, ebpf.AttachTraceFEntry
	case "fexit":
		return ebpf.Tracing, ebpf.AttachTraceFExit
	case "profile", "software", "hardware", "watchpoint":
		return ebpf.PerfEvent, ebpf.AttachNone
	}
	// BEGIN, END, interval (run from user space) and raw tracepoints.
	return ebpf.RawTracepoint, ebpf.AttachNone
}

func (c *compiler) genProbe(p *Probe, t *Target, idx int) (*ebpf.ProgramSpec, error) {
	g := &gen{c: c, t: t, vars: map[string]varSlot{}}
	g.emit(asm.Mov.Reg(asm.R6, asm.R1))
	if err := g.declareVars(p.Body); err != nil {
		return nil, err
	}
	g.varArea = g.used
	if hasFor(p.Body) {
		// A for loop's callback reads every variable's slot: the
		// verifier wants them written first.
		g.zero(int16(-g.varArea), g.varArea)
	}
	exit := "exit"
	if c.opts.PID != 0 && onEvents(t) {
		g.call(asm.FnGetCurrentPidTgid)
		g.emit(asm.RSh.Imm(asm.R0, 32), asm.JNE.Imm(asm.R0, int32(c.opts.PID), exit))
	}
	if p.Pred != nil {
		if err := g.cond(p.Pred, exit); err != nil {
			return nil, err
		}
	}
	if err := g.stmts(p.Body, exit); err != nil {
		return nil, err
	}
	g.mark(exit)
	g.emit(asm.Mov.Imm(asm.R0, 0), asm.Return())
	if g.walked {
		// The walker's subprograms after the program's own code.
		// A line of its own too: CO-RE gives the walker's instructions
		// for the other architecture's registers a line (a comment),
		// and the kernel then wants one at every function's start.
		name := fmt.Sprintf("p%d", idx)
		g.insns[0] = btf.WithFuncMetadata(g.insns[0], c.ustackWalker().Entry(name)).WithSource(asm.Comment(name))
		g.insns = append(g.insns, c.ustackWalker().Insns...)
	}
	if len(g.subprogs) > 0 {
		if !g.walked {
			name := fmt.Sprintf("p%d", idx)
			g.insns[0] = btf.WithFuncMetadata(g.insns[0], entryFunc(name)).WithSource(asm.Comment(name))
		}
		for _, sp := range g.subprogs {
			g.insns = append(g.insns, sp...)
		}
	}
	if g.err != nil {
		ap := p.Points[0]
		return nil, &Error{Pos: ap.Pos, End: ap.end(), Msg: g.err.Error()}
	}
	typ, at := progType(t)
	spec := &ebpf.ProgramSpec{
		Name:         fmt.Sprintf("p%d", idx),
		Type:         typ,
		AttachType:   at,
		Instructions: g.insns,
		License:      "GPL",
	}
	if typ == ebpf.Tracing {
		spec.AttachTo = t.Name
	}
	return spec, nil
}

// onEvents reports whether a target runs on kernel events (which -p
// filters) rather than from user space (BEGIN, END, interval).
func onEvents(t *Target) bool {
	switch t.Kind {
	case "BEGIN", "END", "interval":
		return false
	}
	return true
}
