package attach

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/kbtf"
)

// tryAttach loads a program that returns 0, attaches it where a says,
// and detaches it again. The kernel's answer to the attach, not to the
// load, decides: that is what the tool itself will meet.
func tryAttach(a Attachment) error {
	prog, err := probeProgram(a)
	if err != nil {
		return err
	}
	if a.Kind == TPBTF || a.Kind == Fentry || a.Kind == Fexit {
		defer prog.Close()
	}
	// The probe program is shared per kind, and the kernel refuses to
	// put one program on a hook twice (EEXIST): probes of one target
	// take turns, each after the last one's detach.
	done := takeTurn(a)
	l, err := attachProbe(a, prog)
	// EEXIST is this probe program still on the target (an earlier
	// probe's detach the kernel has not finished, seen under heavy
	// load): not the kernel's answer about the hook. Ask again.
	for wait := 10 * time.Millisecond; errors.Is(err, unix.EEXIST) && wait < 2*time.Second; wait *= 2 {
		time.Sleep(wait)
		l, err = attachProbe(a, prog)
	}
	if err != nil {
		done()
		return fmt.Errorf("a test program loads but does not attach to %s: %w", a, shortErr(err))
	}
	// Detach in the background: the attach answered, and closing a
	// tracepoint's perf event waits out RCU grace periods (tens of ms
	// each, a second over a tool's hooks). The program does nothing
	// meanwhile.
	go func() { l.Close(); done() }()
	return nil
}

// attachProbe attaches prog where a says.
func attachProbe(a Attachment, prog *ebpf.Program) (link.Link, error) {
	var (
		l   link.Link
		err error
	)
	switch a.Kind {
	case TPBTF, Fentry, Fexit:
		l, err = link.AttachTracing(link.TracingOptions{Program: prog})
	case RawTracepoint:
		l, err = link.AttachRawTracepoint(link.RawTracepointOptions{Name: a.Target, Program: prog})
	case Tracepoint:
		l, err = link.Tracepoint(a.Group, a.Target, prog, nil)
	case Kprobe:
		l, err = link.Kprobe(a.Target, prog, nil)
	case Kretprobe:
		l, err = link.Kretprobe(a.Target, prog, nil)
	default:
		return nil, fmt.Errorf("unknown hook kind %v", a.Kind)
	}
	return l, err
}

// turns holds, by target, the turn of the probe attached there or being
// detached in the background; its channel is closed when the probe is
// done.
var (
	turnsMu sync.Mutex
	turns   = map[string]chan struct{}{}
)

// takeTurn waits until no other probe of a's target is under way and
// returns the function that ends this one's turn.
func takeTurn(a Attachment) (done func()) {
	key := a.String()
	for {
		turnsMu.Lock()
		prev, busy := turns[key]
		if !busy {
			mine := make(chan struct{})
			turns[key] = mine
			turnsMu.Unlock()
			return func() {
				turnsMu.Lock()
				delete(turns, key)
				turnsMu.Unlock()
				close(mine)
			}
		}
		turnsMu.Unlock()
		<-prev
	}
}

// WaitAllDetached returns once every probe under way, its link closed in
// the background included, is done.
func WaitAllDetached() {
	turnsMu.Lock()
	pending := make([]chan struct{}, 0, len(turns))
	for _, done := range turns {
		pending = append(pending, done)
	}
	turnsMu.Unlock()
	for _, done := range pending {
		<-done
	}
}

// Probe programs of the kinds whose program does not name its target
// (raw tracepoints, tracepoints, kprobes) are loaded once and attached to
// each target in turn: under emulation a program load costs a lot.
var (
	probeMu    sync.Mutex
	probeProgs = map[Kind]*ebpf.Program{}
)

func probeProgram(a Attachment) (*ebpf.Program, error) {
	probeMu.Lock()
	defer probeMu.Unlock()
	switch a.Kind {
	case TPBTF, Fentry, Fexit:
		// The target is part of the program: one per target, closed by
		// tryAttach.
		return trivialProgram(a)
	}
	if p := probeProgs[a.Kind]; p != nil {
		return p, nil
	}
	prog, err := trivialProgram(a)
	if err != nil {
		return nil, err
	}
	probeProgs[a.Kind] = prog
	return prog, nil
}

// ReleaseProbes frees the probe programs once the hooks are decided
// (results stay cached).
func ReleaseProbes() {
	probeMu.Lock()
	defer probeMu.Unlock()
	for k, p := range probeProgs {
		p.Close()
		delete(probeProgs, k)
	}
}

func trivialProgram(a Attachment) (*ebpf.Program, error) {
	spec := &ebpf.ProgramSpec{
		Instructions: asm.Instructions{asm.Mov.Imm(asm.R0, 0), asm.Return()},
		License:      "GPL",
	}
	var opts ebpf.ProgramOptions
	switch a.Kind {
	case TPBTF, Fentry, Fexit:
		kernel, err := kbtf.SharedCache().Kernel()
		if err != nil {
			return nil, fmt.Errorf("needs kernel BTF: %w", err)
		}
		spec.Type = ebpf.Tracing
		spec.AttachTo = a.Target
		spec.AttachType = map[Kind]ebpf.AttachType{TPBTF: ebpf.AttachTraceRawTp, Fentry: ebpf.AttachTraceFEntry, Fexit: ebpf.AttachTraceFExit}[a.Kind]
		opts.KernelTypes = kernel
	case RawTracepoint:
		spec.Type = ebpf.RawTracepoint
	case Tracepoint:
		spec.Type = ebpf.TracePoint
	case Kprobe, Kretprobe:
		spec.Type = ebpf.Kprobe
	}
	prog, err := ebpf.NewProgramWithOptions(spec, opts)
	if errors.Is(err, unix.EPERM) {
		return nil, fmt.Errorf("the kernel refuses %v programs (EPERM even with privileges: locked down or not built in)", a.Kind)
	}
	if err != nil {
		return nil, fmt.Errorf("the kernel refused a test %v program: %w", a.Kind, shortErr(err))
	}
	return prog, nil
}
