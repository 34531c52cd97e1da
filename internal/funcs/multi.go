package funcs

import (
	"fmt"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/features"
	"github.com/cilium/ebpf/link"

	"github.com/probebox/probebox/core/attach"
)

// UseMulti says whether kernel-function targets attach through one
// kprobe_multi link (one syscall and one link for the whole pattern,
// where the kernel has it: 5.18+ with fprobe) rather than a kprobe each.
// PROBEBOX_DISABLE=kprobe_multi imitates a kernel without it.
func UseMulti(ts []Target) bool {
	if len(ts) < 2 || ts[0].Kind != Kernel || attach.Disabled("kprobe_multi") {
		return false
	}
	return features.HaveBPFLinkKprobeMulti() == nil
}

// PrepareMulti makes prog's spec loadable for a kprobe_multi link; call
// it before loading when UseMulti.
func PrepareMulti(spec *ebpf.ProgramSpec) {
	spec.AttachType = ebpf.AttachTraceKprobeMulti
}

// Entries attaches prog at the entry of every target, the target's index
// as its cookie: kernel functions through one kprobe_multi link when
// multi (prog prepared with PrepareMulti), everything else one probe each.
func Entries(ts []Target, prog *ebpf.Program, pid int, multi bool) ([]link.Link, error) {
	if multi {
		syms := make([]string, len(ts))
		cookies := make([]uint64, len(ts))
		for i, t := range ts {
			syms[i], cookies[i] = t.Name, uint64(i)
		}
		l, err := link.KprobeMulti(prog, link.KprobeMultiOptions{Symbols: syms, Cookies: cookies})
		if err != nil {
			return nil, fmt.Errorf("attaching one kprobe_multi link to %d kernel functions: %w", len(ts), err)
		}
		return []link.Link{l}, nil
	}
	var links []link.Link
	for i, t := range ts {
		l, err := Entry(t, prog, uint64(i), pid)
		if err != nil {
			for _, l := range links {
				l.Close()
			}
			return nil, fmt.Errorf("attaching a %s to %s: %w", KindName(t.Kind), t.Show, err)
		}
		links = append(links, l)
	}
	return links, nil
}
