package profile

import (
	"errors"
	"fmt"
	"io"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/features"

	"github.com/probebox/probebox/core/unwind"
)

// Values of --unwind.
const (
	unwindFP      = "fp"
	unwindEHFrame = "eh_frame"
	unwindAuto    = "auto"
)

// errNoWalker: this kernel or architecture cannot run the .eh_frame
// walker.
var errNoWalker = errors.New("no .eh_frame walker")

// walkerSupport says why the .eh_frame walker cannot run here, or nil.
func walkerSupport() error {
	if _, ok := unwind.RegsOf(); !ok {
		return fmt.Errorf("%w: no unwind rules for this architecture yet (x86-64 only)", errNoWalker)
	}
	for _, h := range []struct {
		fn   asm.BuiltinFunc
		name string
	}{{asm.FnLoop, "bpf_loop (Linux 5.17)"}, {asm.FnTaskPtRegs, "bpf_task_pt_regs (Linux 5.15)"}, {asm.FnGetCurrentTaskBtf, "bpf_get_current_task_btf (Linux 5.11)"}} {
		if err := features.HaveProgramHelper(ebpf.PerfEvent, h.fn); err != nil {
			return fmt.Errorf("%w: the kernel lacks %s", errNoWalker, h.name)
		}
	}
	return nil
}

// unwindMode decides how user stacks are walked: true for the .eh_frame
// walker. -v says why.
func (c *config) unwindMode(v io.Writer, tool string) (bool, error) {
	if c.kernelOnly || c.unwind == unwindFP {
		return false, nil
	}
	err := walkerSupport()
	switch {
	case err == nil:
		if v != nil {
			fmt.Fprintf(v, "%s: user stacks: .eh_frame walk in BPF (--unwind=%s), frame pointers where a binary has no table\n", tool, c.unwind)
		}
		return true, nil
	case c.unwind == unwindEHFrame:
		return false, fmt.Errorf("--unwind=eh_frame: %v; --unwind=fp walks frame pointers", err)
	}
	if v != nil {
		fmt.Fprintf(v, "%s: user stacks: frame pointers (bpf_get_stackid): %v\n", tool, err)
	}
	return false, nil
}

// unwindConsts are the walker's settings.
func unwindConsts(on bool) map[string]any {
	r, _ := unwind.RegsOf()
	return map[string]any{
		"unwind_user": on, "regs_ip_off": r.IP, "regs_sp_off": r.SP, "regs_fp_off": r.FP, "regs_lr_off": r.LR,
	}
}

// reportUnwind prints what the walker could not do (always) and what it
// did (-v).
func reportUnwind(stderr, v io.Writer, tool string, l *unwind.Loader) error {
	s, err := l.Stats()
	if err != nil {
		return err
	}
	if s.Truncated > 0 {
		fmt.Fprintf(stderr, "%s: %d of %d user stacks truncated at %d frames\n", tool, s.Truncated, s.Stacks, unwind.MaxDepth)
	}
	if s.Refused > 0 {
		fmt.Fprintf(stderr, "%s: %d processes got no unwind tables (the process map is full): frame pointers only\n", tool, s.Refused)
	}
	if v != nil {
		fmt.Fprintf(v, "%s: unwind tables: %d binaries, %d rows, %d KiB, for %d processes\n", tool, s.Tables, s.Rows, s.Bytes/1024, s.Processes)
		fmt.Fprintf(v, "%s: user stacks walked: %d (%d before their tables were loaded: frame pointers); frames: %d from tables, %d by frame pointers; %d lost to hash collisions\n",
			tool, s.Stacks, s.NoTables, s.TableFrames, s.FPFrames, s.Collisions)
	}
	return nil
}
