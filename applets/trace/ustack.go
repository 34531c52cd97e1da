package trace

import (
	"context"
	"fmt"
	"io"

	"github.com/cilium/ebpf"

	"github.com/probebox/probebox/applets/trace/lang"
	"github.com/probebox/probebox/core/unwind"
)

// ustack and .eh_frame: bpftrace's ustack is the kernel's frame-pointer
// walk, which stops at the first function built without frame pointers
// (most of Debian's libc and programs). With --unwind=auto (the default,
// where the kernel can) or eh_frame, ustack is walked in BPF instead, by
// the walker profile and the other stack tools use (core/unwind,
// bpfobj/include/unwind.bpf.h), linked into each probe that takes a
// ustack; its tables load in the background for every process it meets
// (-p's before the probes attach), frame pointers until they are loaded.

// unwoundStorage bounds the stacks the walker keeps: twice a map's
// 4096 keys (a recursive sort alone fills one map with distinct stacks),
// 8 MiB.
const unwoundStorage = 8192

// ustackWalker is the walker for --unwind=mode, nil for frame pointers.
func ustackWalker(mode string) (*lang.Walker, error) {
	// Every program type trace makes has the walker's helpers where
	// kprobe programs have them (5.17+).
	on, err := unwind.Decide(mode, true, ebpf.Kprobe, nil, "trace")
	if err != nil || !on {
		return nil, err
	}
	insns, maps, err := unwind.Subprogram(unwoundStorage)
	if err != nil {
		return nil, err
	}
	return &lang.Walker{Func: unwind.SubprogFunc, Entry: unwind.EntryFunc, Insns: insns, Maps: maps, StackMap: unwind.StackMap}, nil
}

// startWalker loads the tables of the processes the walker meets, -p's
// first; nil when no probe walks a ustack.
func startWalker(ctx context.Context, c *lang.Compiled, coll *ebpf.Collection) *unwind.Session {
	return unwind.StartFor(ctx, c.Walked, int(c.PID), func(name string) *ebpf.Map { return coll.Maps[name] }, "trace", nil)
}

// walkerReport says what the walker lost: stacks truncated, processes
// without tables, stacks its map could not keep.
func walkerReport(w io.Writer, tables *unwind.Session, coll *ebpf.Collection) error {
	if tables == nil {
		return nil
	}
	tables.Stop()
	if err := tables.Report(w, nil, "trace"); err != nil {
		return err
	}
	full := coll.Maps["map_full"]
	if full == nil {
		return nil
	}
	var per []uint64
	if err := full.Lookup(uint32(1), &per); err != nil { // PB_STACKS_FULL_SLOT
		return fmt.Errorf("walker's lost stacks: %w", err)
	}
	var n uint64
	for _, v := range per {
		n += v
	}
	if n > 0 {
		fmt.Fprintf(w, "trace: %d user stacks not kept: the walker's stack map (%d stacks) is full or their hashes collided\n", n, unwoundStorage)
	}
	return nil
}
