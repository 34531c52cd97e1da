package trace

import (
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/cilium/ebpf"

	"github.com/probebox/probebox/applets/trace/lang"
	"github.com/probebox/probebox/core/unwind"
)

// symbolizer names code addresses: "name+offset" in stacks, the bare
// name for ksym() and usym(); unknown addresses print as hex.
type symbolizer interface {
	Kernel(addr uint64, offset bool) string
	User(pid int, addr uint64, offset bool) string
	// UserModule is the file mapped at addr, "" when not known.
	UserModule(pid int, addr uint64) string
}

// Stack indents, as bpftrace 0.17 prints its default (bpftrace) mode:
// eight spaces in printf() and as a map's value, four as a map's key.
const (
	stackIndentValue = 8
	stackIndentKey   = 4
)

// formatStack renders a stack as bpftrace does: after a line break, one
// frame per line, in bpftrace mode indented name+offset, in perf mode a
// tab, the hex address and name+offset (and a user frame's file in
// parentheses).
func formatStack(stacks func(string) *ebpf.Map, sym symbolizer, t lang.Type, raw uint64, indent int) string {
	id, pid := uint32(raw), int(raw>>32)
	depth := lang.StackDepth(t)
	m, size := stacks(lang.StackMapName(t)), depth
	if t.Kind == lang.KUstack {
		if u := stacks(unwind.StackMap); u != nil {
			// Walked from .eh_frame: at most depth frames, in a
			// value of the walker's size.
			m, size = u, unwind.MaxDepth
		}
	}
	if int32(id) < 0 || m == nil {
		return "\n"
	}
	buf := make([]byte, 8*size)
	if err := m.Lookup(id, &buf); err != nil {
		return "\n"
	}
	var b strings.Builder
	b.WriteString("\n")
	pad := strings.Repeat(" ", indent)
	for i := 0; i < depth; i++ {
		pc := binary.NativeEndian.Uint64(buf[8*i:])
		if pc == 0 {
			break
		}
		name := ""
		if t.Kind == lang.KKstack {
			name = sym.Kernel(pc, true)
		} else {
			name = sym.User(pid, pc, true)
		}
		if t.Format != lang.StackModePerf {
			fmt.Fprintf(&b, "%s%s\n", pad, name)
			continue
		}
		fmt.Fprintf(&b, "\t%x %s", pc, name)
		if t.Kind == lang.KUstack {
			module := sym.UserModule(pid, pc)
			if module == "" || strings.HasPrefix(name, "0x") {
				module = "[unknown]"
			}
			fmt.Fprintf(&b, " (%s)", module)
		}
		b.WriteString("\n")
	}
	return b.String()
}
