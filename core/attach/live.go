package attach

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
	"github.com/cilium/ebpf/features"
	"golang.org/x/sys/unix"

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

// Live is the running kernel. Probe results are cached for the process.
type Live struct {
	mu     sync.Mutex
	probed map[Kind]error
}

// Running is the shared probe of the running kernel.
var Running = &Live{}

// Supports probes whether kind k can be loaded and attached here.
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
		return probeTracing(ebpf.AttachTraceRawTp, "sched_switch")
	case Fentry, Fexit:
		fn, err := anyKernelFunc()
		if err != nil {
			return err
		}
		at := ebpf.AttachTraceFEntry
		if k == Fexit {
			at = ebpf.AttachTraceFExit
		}
		return probeTracing(at, fn)
	case RawTracepoint:
		return haveProgType(ebpf.RawTracepoint)
	case Tracepoint:
		if err := haveProgType(ebpf.TracePoint); err != nil {
			return err
		}
		_, err := tracefs.Dir()
		return err
	case Kprobe, Kretprobe:
		if !exists("/sys/bus/event_source/devices/kprobe/type") && !tracefsHas("kprobe_events") {
			return errors.New("this kernel has no kprobes (CONFIG_KPROBES is off)")
		}
		return haveProgType(ebpf.Kprobe)
	}
	return fmt.Errorf("unknown hook kind %v", k)
}

// HasTarget checks that a's tracepoint or function exists.
func (l *Live) HasTarget(a Attachment) error {
	switch a.Kind {
	case TPBTF, RawTracepoint:
		spec, err := kbtf.SharedCache().Kernel()
		if err != nil {
			if a.Kind == TPBTF {
				return fmt.Errorf("no kernel BTF: %w", err)
			}
			return nil // no BTF to check against; attaching will tell
		}
		var td *btf.Typedef
		if err := spec.TypeByName("btf_trace_"+a.Target, &td); err != nil {
			return fmt.Errorf("no tracepoint %s in this kernel", a.Target)
		}
		return nil
	case Tracepoint:
		if !tracefs.EventExists(a.Group, a.Target) {
			return fmt.Errorf("no tracepoint %s:%s in this kernel", a.Group, a.Target)
		}
		return nil
	case Fentry, Fexit, Kprobe, Kretprobe:
		spec, err := kbtf.SharedCache().Kernel()
		if err != nil {
			return fmt.Errorf("no kernel BTF to find %s: %w", a.Target, err)
		}
		var fn *btf.Func
		if err := spec.TypeByName(a.Target, &fn); err != nil {
			return fmt.Errorf("no kernel function %s", a.Target)
		}
		return nil
	}
	return fmt.Errorf("unknown hook kind %v", a.Kind)
}

func haveProgType(t ebpf.ProgramType) error {
	if err := features.HaveProgramType(t); err != nil {
		return fmt.Errorf("%v programs not supported: %w", t, err)
	}
	return nil
}

// probeTracing loads a program that returns 0 on the given BTF hook; the
// kernel refusing it (EPERM where fentry is locked down) is the answer.
func probeTracing(at ebpf.AttachType, target string) error {
	spec, err := kbtf.SharedCache().Kernel()
	if err != nil {
		return fmt.Errorf("needs kernel BTF: %w", err)
	}
	prog, err := ebpf.NewProgramWithOptions(&ebpf.ProgramSpec{
		Type:         ebpf.Tracing,
		AttachType:   at,
		AttachTo:     target,
		Instructions: asm.Instructions{asm.Mov.Imm(asm.R0, 0), asm.Return()},
		License:      "GPL",
	}, ebpf.ProgramOptions{KernelTypes: spec})
	if errors.Is(err, unix.EPERM) {
		return fmt.Errorf("the kernel refuses %v programs (EPERM even with privileges: locked down or not built in)", at)
	}
	if err != nil {
		return fmt.Errorf("the kernel refused a test program: %w", shortErr(err))
	}
	prog.Close()
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
