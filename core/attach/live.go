package attach

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
	"github.com/cilium/ebpf/features"

	"github.com/probebox/probebox/core/kbtf"
	"github.com/probebox/probebox/core/tracefs"
)

// DisableEnv names kinds (and "ringbuf") a user or test wants treated as
// missing, comma-separated: a way to work around a broken hook, and to test
// the fallbacks on a kernel that has everything.
const DisableEnv = "PROBEBOX_DISABLE"

// Disabled reports whether name is listed in PROBEBOX_DISABLE.
func Disabled(name string) bool {
	for _, f := range strings.Split(os.Getenv(DisableEnv), ",") {
		if strings.TrimSpace(f) == name {
			return true
		}
	}
	return false
}

// Live is the running kernel. Probe results are cached for the process:
// a kind is probed once, a target once.
type Live struct {
	mu      sync.Mutex
	probed  map[Kind]error
	targets map[string]*targetResult
}

// targetResult is one target's probe; done is closed once it is known
// (tools set up side by side in one process, as the exporter's
// collectors, ask about the same hooks at once: one probe answers all).
type targetResult struct {
	resolved Attachment
	err      error
	done     chan struct{}
}

// Running is the shared probe of the running kernel.
var Running = &Live{}

// Supports probes whether kind k can be loaded and attached here: a
// trivial program of that kind is loaded and attached to a hook every
// kernel has, then detached. A program that loads is not a hook that
// attaches (fentry loads on arm64 6.1 and then refuses to attach).
func (l *Live) Supports(k Kind) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.probed == nil {
		l.probed = map[Kind]error{}
	}
	if err, ok := l.probed[k]; ok {
		return err
	}
	err := probeKind(k)
	l.probed[k] = err
	return err
}

func probeKind(k Kind) error {
	if Disabled(k.String()) {
		return fmt.Errorf("disabled by %s", DisableEnv)
	}
	switch k {
	case TPBTF:
		return tryAttach(Attachment{Kind: TPBTF, Target: "sched_switch"})
	case Fentry, Fexit:
		fn, err := anyKernelFunc()
		if err != nil {
			return err
		}
		return tryAttach(Attachment{Kind: k, Target: fn})
	case RawTracepoint:
		if err := haveProgType(ebpf.RawTracepoint); err != nil {
			return err
		}
		return tryAttach(Attachment{Kind: RawTracepoint, Target: "sched_switch"})
	case Tracepoint:
		if err := haveProgType(ebpf.TracePoint); err != nil {
			return err
		}
		if _, err := tracefs.Dir(); err != nil {
			return err
		}
		return tryAttach(Attachment{Kind: Tracepoint, Group: "sched", Target: "sched_switch"})
	case Kprobe, Kretprobe:
		if !exists("/sys/bus/event_source/devices/kprobe/type") && !tracefsHas("kprobe_events") {
			return errors.New("this kernel has no kprobes (CONFIG_KPROBES is off)")
		}
		if err := haveProgType(ebpf.Kprobe); err != nil {
			return err
		}
		fn, err := anyKernelFunc()
		if err != nil {
			return err
		}
		return tryAttach(Attachment{Kind: k, Target: fn})
	}
	return fmt.Errorf("unknown hook kind %v", k)
}

// HasTarget checks that a's tracepoint or function exists and that a
// trivial program attaches to it (cached per target).
func (l *Live) HasTarget(a Attachment) error {
	_, err := l.Resolve(a)
	return err
}

// Resolve returns a as it attaches on this kernel: a kernel function the
// compiler renamed (name.isra.0, name.constprop.0, name.part.0,
// name.llvm.NNN) is attached by kprobes under its real name.
func (l *Live) Resolve(a Attachment) (Attachment, error) {
	key := a.String()
	l.mu.Lock()
	if r, ok := l.targets[key]; ok {
		l.mu.Unlock()
		<-r.done
		// The cache is by hook, not by program: two candidates may put
		// different programs on the same hook (tcptracer), so the
		// caller's program and optionality are kept.
		resolved := r.resolved
		resolved.Program, resolved.Optional = a.Program, a.Optional
		return resolved, r.err
	}
	if l.targets == nil {
		l.targets = map[string]*targetResult{}
	}
	r := &targetResult{done: make(chan struct{})}
	l.targets[key] = r
	l.mu.Unlock()
	resolved, err := resolveTarget(a)
	if err == nil {
		err = tryAttach(resolved)
	}
	r.resolved, r.err = resolved, err
	close(r.done)
	return resolved, err
}

func resolveTarget(a Attachment) (Attachment, error) {
	switch a.Kind {
	case TPBTF, RawTracepoint:
		spec, err := kbtf.SharedCache().Kernel()
		if err != nil {
			if a.Kind == TPBTF {
				return a, fmt.Errorf("no kernel BTF: %w", err)
			}
			return a, nil // no BTF to check against; attaching will tell
		}
		var td *btf.Typedef
		if err := spec.TypeByName("btf_trace_"+a.Target, &td); err != nil {
			return a, fmt.Errorf("no tracepoint %s in this kernel", a.Target)
		}
		return a, nil
	case Tracepoint:
		if !tracefs.EventExists(a.Group, a.Target) {
			return a, fmt.Errorf("no tracepoint %s:%s in this kernel", a.Group, a.Target)
		}
		return a, nil
	case Fentry, Fexit:
		spec, err := kbtf.SharedCache().Kernel()
		if err != nil {
			return a, fmt.Errorf("no kernel BTF to find %s: %w", a.Target, err)
		}
		var fn *btf.Func
		if err := spec.TypeByName(a.Target, &fn); err != nil {
			return a, fmt.Errorf("no kernel function %s in BTF", a.Target)
		}
		return a, nil
	case Kprobe, Kretprobe:
		name, err := KernelFunction(a.Target)
		if err != nil {
			return a, err
		}
		a.Target = name
		return a, nil
	}
	return a, fmt.Errorf("unknown hook kind %v", a.Kind)
}

func haveProgType(t ebpf.ProgramType) error {
	if err := features.HaveProgramType(t); err != nil {
		return fmt.Errorf("%v programs not supported: %w", t, err)
	}
	return nil
}

// anyKernelFunc names a function every kernel has, to probe fentry with.
func anyKernelFunc() (string, error) {
	spec, err := kbtf.SharedCache().Kernel()
	if err != nil {
		return "", fmt.Errorf("needs kernel BTF: %w", err)
	}
	for _, name := range []string{"do_nanosleep", "vfs_read", "schedule"} {
		var fn *btf.Func
		if spec.TypeByName(name, &fn) == nil {
			return name, nil
		}
	}
	return "", errors.New("no well-known kernel function in BTF to probe with")
}

// shortErr keeps the first line of a verifier error.
func shortErr(err error) error {
	msg, _, _ := strings.Cut(err.Error(), "\n")
	return errors.New(msg)
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func tracefsHas(name string) bool {
	dir, err := tracefs.Dir()
	return err == nil && exists(dir+"/"+name)
}
