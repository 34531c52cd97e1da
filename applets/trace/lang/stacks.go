package lang

import (
	"fmt"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
)

// kstack and ustack, bare or with bpftrace's arguments: a mode (bpftrace,
// perf) and a frame limit, kstack(perf, 8). The mode is Type.Format, the
// limit Type.Bits; each limit has a stack map of its own, because the
// kernel hashes only the frames the map's value holds (two stacks that
// differ below the limit are one key, as in bpftrace).

// Stack modes, as bpftrace names them.
const (
	StackModeBpftrace = "bpftrace"
	StackModePerf     = "perf"
)

// stackType is a kstack or ustack of mode and depth.
func stackType(user bool, mode string, depth int) Type {
	k := KKstack
	if user {
		k = KUstack
	}
	return Type{Kind: k, Size: 8, Format: mode, Bits: depth}
}

// StackDepth is the most frames a stack value holds.
func StackDepth(t Type) int {
	if t.Bits <= 0 {
		return MaxStackDepth
	}
	return t.Bits
}

// StackMapName is the stack trace map holding stacks of t's depth.
func StackMapName(t Type) string {
	if d := StackDepth(t); d != MaxStackDepth {
		return fmt.Sprintf("stacks%d", d)
	}
	return "stacks"
}

// stackCallType types kstack(...) and ustack(...).
func (g *gen) stackCallType(e *Call) (Type, error) {
	user := e.Name == "ustack"
	mode, depth := StackModeBpftrace, MaxStackDepth
	if len(e.Args) > 2 {
		return Type{}, errAt(e, "%s() takes a mode and a frame limit at most: %s(perf, 8)", e.Name, e.Name)
	}
	for i, a := range e.Args {
		switch a := a.(type) {
		case *Ident:
			if i != 0 || (a.Name != StackModeBpftrace && a.Name != StackModePerf) {
				return Type{}, errAt(a, "%s(): unknown stack mode %q: bpftrace or perf", e.Name, a.Name)
			}
			mode = a.Name
		case *Int:
			if i != len(e.Args)-1 || a.V < 1 || a.V > MaxStackDepth {
				return Type{}, errAt(a, "%s(): the frame limit must be 1 to %d", e.Name, MaxStackDepth)
			}
			depth = int(a.V)
		default:
			return Type{}, errAt(a, "%s() takes a stack mode (bpftrace, perf) and a frame limit literal", e.Name)
		}
	}
	t := stackType(user, mode, depth)
	g.useStacks(t)
	return t, nil
}

// Walker walks user stacks in BPF from .eh_frame unwind tables
// (core/unwind): the probes that take a ustack call Func(tgid, depth),
// which returns the stack's id in StackMap (frames as
// u64[MaxStackDepth], zero after the last) or a negative errno as
// bpf_get_stackid does; Insns (Func first, then what it calls) are linked
// into each such program.
type Walker struct {
	Func string
	// Entry is the BTF function a calling program's first instruction
	// carries (the walker's code has BTF, which the kernel then wants
	// for every function of the program).
	Entry    func(name string) *btf.Func
	Insns    asm.Instructions
	Maps     map[string]*ebpf.MapSpec // every map Insns names
	StackMap string
}

// useStacks records that the program needs t's stack map (ustack taken
// by the walker: the walker's maps).
func (g *gen) useStacks(t Type) {
	if t.Kind == KUstack && g.c.ustackWalker() != nil {
		g.c.walked = true
		return
	}
	if g.c.stackDepths == nil {
		g.c.stackDepths = map[int]bool{}
	}
	g.c.stackDepths[StackDepth(t)] = true
}
