package unwind

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/features"
)

// What the stack tools share to offer the walker: --unwind's values, the
// decision, the BPF settings and a background loader.

// Values of --unwind.
const (
	ModeFP      = "fp"
	ModeEHFrame = "eh_frame"
	ModeAuto    = "auto"
	// FlagUsage is --unwind's help text.
	FlagUsage = "how user stacks are walked: fp (frame pointers, as bcc), eh_frame (.eh_frame unwind tables in BPF: whole stacks of code built without frame pointers) or auto (eh_frame where the kernel can)"
)

// ValidMode says whether s is a value of --unwind.
func ValidMode(s string) bool { return s == ModeFP || s == ModeEHFrame || s == ModeAuto }

// ErrNoWalker: this kernel or architecture cannot run the walker.
var ErrNoWalker = errors.New("no .eh_frame walker")

// Support says why the walker cannot run here from a program of type
// prog, or nil.
func Support(prog ebpf.ProgramType) error {
	if !Walks() {
		return fmt.Errorf("%w: no unwind rules for this architecture (x86-64 and arm64 only)", ErrNoWalker)
	}
	for _, h := range []struct {
		fn   asm.BuiltinFunc
		name string
	}{{asm.FnLoop, "bpf_loop (Linux 5.17)"}, {asm.FnTaskPtRegs, "bpf_task_pt_regs (Linux 5.15)"}, {asm.FnGetCurrentTaskBtf, "bpf_get_current_task_btf (Linux 5.11)"}} {
		if err := features.HaveProgramHelper(prog, h.fn); err != nil {
			return fmt.Errorf("%w: the kernel lacks %s", ErrNoWalker, h.name)
		}
	}
	return nil
}

// Decide turns --unwind into whether the walker runs (user stacks wanted
// at all: userStacks); -v (v may be nil) says why.
func Decide(mode string, userStacks bool, prog ebpf.ProgramType, v io.Writer, tool string) (bool, error) {
	if !userStacks || mode == ModeFP {
		return false, nil
	}
	err := Support(prog)
	switch {
	case err == nil:
		if v != nil {
			fmt.Fprintf(v, "%s: user stacks: .eh_frame walk in BPF (--unwind=%s), frame pointers where a binary has no table\n", tool, mode)
		}
		return true, nil
	case mode == ModeEHFrame:
		return false, fmt.Errorf("--unwind=eh_frame: %v; --unwind=fp walks frame pointers", err)
	}
	if v != nil {
		fmt.Fprintf(v, "%s: user stacks: frame pointers (bpf_get_stackid): %v\n", tool, err)
	}
	return false, nil
}

// Consts are the walker's settings (unwind.bpf.h), for the loader.
func Consts(on bool) map[string]any {
	return map[string]any{"unwind_user": on}
}

// SizeMaps sizes the walker's maps in a spec: storage stacks when it
// runs, with tables memory-mapped where the kernel can (innerFlags); one
// entry each when it does not, and its doorbell then an array (kernels
// before 5.8 have no ring buffers; the walker is dead code).
func SizeMaps(s *ebpf.CollectionSpec, storage int, on bool) {
	if on {
		s.Maps["unwound_stacks"].MaxEntries = uint32(storage)
		if t := s.Maps["unwind_tables"]; t != nil && t.InnerMap != nil {
			t.InnerMap.Flags = innerFlags(mmapTables())
		}
		return
	}
	for _, m := range []string{"unwound_stacks", "unwind_procs", "unwind_wanted"} {
		s.Maps[m].MaxEntries = 1
	}
	if m := s.Maps[RequestsMap]; m != nil {
		m.Type, m.KeySize, m.ValueSize, m.MaxEntries = ebpf.Array, 4, 4, 1
	}
}

// StackMap is the walker's map of user stacks (core/stacks Resolver's
// UserStacks).
const StackMap = "unwound_stacks"

// Session is a loader running in the background.
type Session struct {
	*Loader
	parent context.Context // the run's: once it ends, Stop does not wait
	cancel context.CancelFunc
	done   chan struct{}
}

// Start loads the tables of pids now (so their stacks are whole from the
// first sample), then those of processes the walker meets, in the
// background until Stop.
func Start(ctx context.Context, maps Maps, tool string, v io.Writer, pids ...int) *Session {
	l := NewLoader(maps, tool, v)
	for _, pid := range pids {
		l.LoadProcess(ctx, pid)
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	s := &Session{Loader: l, parent: parent, cancel: cancel, done: make(chan struct{})}
	go func() { defer close(s.done); l.Run(ctx) }()
	return s
}

// StartFor is what every stack tool does after loading its objects: when
// the walker runs (unwinding), start loading tables, those of pid (-p's
// process; 0: none) before returning so its stacks are whole from the
// first sample, others' in the background as the walker meets them
// (their stacks until then walk frame pointers, counted). maps finds the
// walker's maps by name (a loaded collection's). Nil when not unwinding;
// a nil Session's methods do nothing.
func StartFor(ctx context.Context, unwinding bool, pid int, maps func(name string) *ebpf.Map, tool string, v io.Writer) *Session {
	if !unwinding {
		return nil
	}
	var pids []int
	if pid > 0 {
		pids = append(pids, pid)
	}
	return Start(ctx, MapsOf(maps), tool, v, pids...)
}

// stopWait bounds how long Stop waits for a table being built (a large
// binary on a busy machine takes a while): the output must not wait.
const stopWait = 300 * time.Millisecond

// Stop ends the background loading, waiting at most stopWait for a load
// in progress (which ends soon after on its own; its map updates then
// fail harmlessly); safe on nil and more than once.
func (s *Session) Stop() {
	if s == nil {
		return
	}
	s.cancel()
	if s.parent.Err() != nil {
		return // the run is being stopped (Ctrl-C, reader gone): exit promptly
	}
	select {
	case <-s.done:
	case <-time.After(stopWait):
	}
}

// Report prints what the walker could not do (always) and what it did
// (-v: v not nil).
func (s *Session) Report(stderr, v io.Writer, tool string) error {
	if s == nil {
		return nil
	}
	st, err := s.Stats()
	if err != nil {
		return err
	}
	if st.Truncated > 0 {
		fmt.Fprintf(stderr, "%s: %d of %d user stacks truncated at %d frames\n", tool, st.Truncated, st.Stacks, MaxDepth)
	}
	if st.Refused > 0 {
		fmt.Fprintf(stderr, "%s: %d processes got no unwind tables (the process map is full): frame pointers only\n", tool, st.Refused)
	}
	if v != nil {
		fmt.Fprintf(v, "%s: unwind tables: %d binaries, %d rows, %d KiB, for %d processes\n", tool, st.Tables, st.Rows, st.Bytes/1024, st.Processes)
		if st.Reloads > 0 {
			fmt.Fprintf(v, "%s: %d times a process's mappings were read again (exec, libraries mapped since)\n", tool, st.Reloads)
		}
		fmt.Fprintf(v, "%s: user stacks walked: %d (%d before their process's mappings were loaded: frame pointers); frames: %d from tables, %d by frame pointers (%d of them in binaries whose table was being built); %d lost to hash collisions\n",
			tool, st.Stacks, st.NoTables, st.TableFrames, st.FPFrames, st.PendingFrames, st.Collisions)
	}
	return nil
}
