package trace

import (
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/cilium/ebpf"

	"github.com/probebox/probebox/applets/trace/lang"
)

// symbolizer names code addresses: "name+offset" in stacks, the bare
// name for ksym() and usym(); unknown addresses print as hex.
type symbolizer interface {
	Kernel(addr uint64, offset bool) string
	User(pid int, addr uint64, offset bool) string
}

// formatStack renders a stack key as bpftrace does: one frame per line,
// indented by eight spaces, after a line break.
func formatStack(stacks *ebpf.Map, sym symbolizer, t lang.Type, raw uint64) string {
	id, pid := uint32(raw), int(raw>>32)
	if int32(id) < 0 || stacks == nil {
		return "\n"
	}
	frames := make([]uint64, lang.MaxStackDepth)
	buf := make([]byte, 8*lang.MaxStackDepth)
	if err := stacks.Lookup(id, &buf); err != nil {
		return "\n"
	}
	for i := range frames {
		frames[i] = binary.NativeEndian.Uint64(buf[8*i:])
	}
	var b strings.Builder
	b.WriteString("\n")
	for _, pc := range frames {
		if pc == 0 {
			break
		}
		name := ""
		if t.Kind == lang.KKstack {
			name = sym.Kernel(pc, true)
		} else {
			name = sym.User(pid, pc, true)
		}
		fmt.Fprintf(&b, "        %s\n", name)
	}
	return b.String()
}
