package funcs

import (
	"fmt"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"

	"github.com/probebox/probebox/core/attach"
)

// KernelProbes says whether kernel functions can be probed here, and if
// not, the one line why (the host of the development machine has neither
// kprobes nor fentry).
func KernelProbes(k attach.Kernel) error {
	kerr := k.Supports(attach.Kprobe)
	if kerr == nil {
		return nil
	}
	ferr := k.Supports(attach.Fentry)
	return fmt.Errorf("kernel functions need kprobes or fentry, and this kernel has neither (kprobe: %v; fentry: %v); tracepoints (t:group:event) and user functions (lib:func) work", kerr, ferr)
}

// Entry attaches prog at the entry of t with cookie (the target's index);
// pid > 0 restricts a uprobe to that process in the kernel.
func Entry(t Target, prog *ebpf.Program, cookie uint64, pid int) (link.Link, error) {
	switch t.Kind {
	case Kernel:
		return link.Kprobe(t.Name, prog, &link.KprobeOptions{Cookie: cookie})
	case Tracepoint:
		return link.Tracepoint(t.Group, t.Name, prog, &link.TracepointOptions{Cookie: cookie})
	case User:
		ex, err := link.OpenExecutable(t.Path)
		if err != nil {
			return nil, err
		}
		return ex.Uprobe(t.Name, prog, &link.UprobeOptions{PID: pid, Cookie: cookie, Address: t.Offset, RefCtrOffset: t.SemOffset})
	}
	return nil, fmt.Errorf("internal: target kind %d", t.Kind)
}

// Return attaches prog at the return of t (kretprobe, uretprobe).
func Return(t Target, prog *ebpf.Program, cookie uint64, pid int) (link.Link, error) {
	switch t.Kind {
	case Kernel:
		return link.Kretprobe(t.Name, prog, &link.KprobeOptions{Cookie: cookie})
	case User:
		ex, err := link.OpenExecutable(t.Path)
		if err != nil {
			return nil, err
		}
		return ex.Uretprobe(t.Name, prog, &link.UprobeOptions{PID: pid, Cookie: cookie, Address: t.Offset})
	}
	return nil, fmt.Errorf("a tracepoint has no return")
}

// KindName is how -v names a target kind's probe.
func KindName(k Kind) string {
	return [...]string{"kprobe", "tracepoint", "uprobe"}[k]
}
