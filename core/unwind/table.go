package unwind

import (
	"cmp"
	"context"
	"debug/elf"
	"errors"
	"fmt"
	"slices"
	"sort"
)

// Base is what a row computes the canonical frame address (CFA: the
// stack pointer before the call) from.
type Base uint8

const (
	// BaseNone: no unwind information covers the address (a gap between
	// FDEs, or a rule the BPF walker does not follow): the walker falls
	// back to the frame pointer there.
	BaseNone Base = iota
	BaseSP        // CFA = SP + CFAOffset
	BaseFP        // CFA = FP (rbp, x29) + CFAOffset
	// BasePLT: an x86-64 PLT entry: CFA = rsp + 8, + 8 more when
	// (pc & 15) >= CFAOffset.
	BasePLT
	// BaseEnd: the outermost frame (_start, clone: the return address
	// is undefined): the stack ends here.
	BaseEnd
)

func (b Base) String() string {
	return [...]string{"none", "sp", "fp", "plt", "end"}[b]
}

// Row is the unwind rule from PC up to the next row's PC, in the ELF
// file's virtual addresses.
type Row struct {
	PC        uint64
	CFA       Base
	CFAOffset int32
	// FPOffset: the caller's frame pointer is saved at CFA+FPOffset; 0:
	// it is still in the register.
	FPOffset int32
	// RAOffset: the return address is saved at CFA+RAOffset; 0: it is
	// still in the link register (arm64 before the prologue's store).
	RAOffset int32
}

// Table is one binary's unwind rows, sorted by PC.
type Table struct {
	Arch Arch
	Rows []Row
	FDEs int
}

// ErrNoEHFrame: the file has no .eh_frame (a Go binary, which keeps
// frame pointers instead).
var ErrNoEHFrame = errors.New("no .eh_frame section")

// ArchOf is the unwinder's view of an ELF machine.
func ArchOf(m elf.Machine) (Arch, error) {
	switch m {
	case elf.EM_X86_64:
		return AMD64, nil
	case elf.EM_AARCH64:
		return ARM64, nil
	}
	return Arch{}, fmt.Errorf("no unwinder for %v", m)
}

// Open builds the table of the ELF file at path.
func Open(path string) (*Table, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Build(f)
}

// Build turns f's .eh_frame into rows.
func Build(f *elf.File) (*Table, error) { return BuildContext(context.Background(), f) }

// BuildContext is Build that gives up when ctx ends (a large binary
// takes a while).
func BuildContext(ctx context.Context, f *elf.File) (*Table, error) {
	arch, err := ArchOf(f.Machine)
	if err != nil {
		return nil, err
	}
	sec := f.Section(".eh_frame")
	if sec == nil || sec.Type == elf.SHT_NOBITS {
		return nil, ErrNoEHFrame
	}
	data, err := sec.Data()
	if err != nil {
		return nil, fmt.Errorf(".eh_frame: %w", err)
	}
	fdes, err := parseEHFrame(data, sec.Addr, f.ByteOrder)
	if err != nil {
		return nil, err
	}
	// Rows before compaction run at about one per 3-6 bytes of .eh_frame:
	// growing the slice instead cost a large binary's build a third of
	// its time (measured: qemu, 229k rows).
	t := &Table{Arch: arch, FDEs: len(fdes), Rows: make([]Row, 0, max(8*len(fdes), len(data)/3))}
	in := &interp{arch: arch}
	for i, fd := range fdes {
		if i%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err := t.addFDE(in, fd, f); err != nil {
			return nil, fmt.Errorf("FDE %#x-%#x: %w", fd.start, fd.end, err)
		}
	}
	t.sortAndCompact()
	return t, nil
}

func (t *Table) addFDE(in *interp, fd fde, f *elf.File) error {
	r := reader{addr: 0, bo: f.ByteOrder}
	*in = interp{arch: t.Arch, c: fd.cie, loc: fd.start, stack: in.stack[:0]}
	// The CIE's instructions set the initial rules; rows come from the
	// FDE's (an FDE's rows are dropped if it fails).
	in.table = nil
	if err := in.run(fd.cie.initial, r); err != nil {
		return err
	}
	in.initial, in.loc = in.cur, fd.start
	n := len(t.Rows)
	in.table, in.cieSignal = t, fd.cie.signal
	if err := in.run(fd.insns, r); err != nil {
		t.Rows = t.Rows[:n]
		return err
	}
	if in.loc < fd.end {
		in.advance(fd.end - in.loc)
	}
	// The end of the FDE: a gap until another FDE starts there.
	t.Rows = append(t.Rows, Row{PC: fd.end, CFA: BaseNone})
	return nil
}

// row compacts one state into what the BPF walker follows.
func (t *Table) row(pc uint64, s state, signal bool) Row {
	row := Row{PC: pc}
	if signal {
		return row // a signal frame's registers are in the sigcontext
	}
	switch {
	case s.ra.kind == ruleUndefined:
		row.CFA = BaseEnd
		return row
	case s.cfaExpr != nil:
		if n, ok := isPLT(s.cfaExpr); ok && t.Arch == AMD64 {
			row.CFA, row.CFAOffset = BasePLT, int32(n)
			row.RAOffset = -8
		}
		return row
	case s.cfaReg == t.Arch.SP:
		row.CFA = BaseSP
	case s.cfaReg == t.Arch.FP:
		row.CFA = BaseFP
	default:
		return row // CFA in another register: not followed
	}
	row.CFAOffset = int32(s.cfaOff)
	switch s.ra.kind {
	case ruleOffset:
		row.RAOffset = int32(s.ra.off)
	case ruleSame:
		if t.Arch == AMD64 { // x86-64 has no link register
			return Row{PC: pc}
		}
	default:
		return Row{PC: pc}
	}
	if s.fp.kind == ruleOffset {
		row.FPOffset = int32(s.fp.off)
	}
	return row
}

// sortAndCompact orders rows by PC; of rows at one PC the last added
// wins unless it is an FDE's end marker (a following FDE's first row
// then wins), and a row equal to the one before it is dropped.
func (t *Table) sortAndCompact() {
	// FDEs are usually in address order already.
	if !slices.IsSortedFunc(t.Rows, byPC) {
		slices.SortStableFunc(t.Rows, byPC)
	}
	out := t.Rows[:0]
	for _, r := range t.Rows {
		if n := len(out); n > 0 && out[n-1].PC == r.PC {
			if r.CFA != BaseNone || out[n-1].CFA == BaseNone {
				out[n-1] = r
			}
			continue
		}
		out = append(out, r)
	}
	// Drop rows that repeat the rule before them.
	t.Rows = out[:0]
	for i, r := range out {
		if i > 0 && sameRule(r, t.Rows[len(t.Rows)-1]) {
			continue
		}
		t.Rows = append(t.Rows, r)
	}
}

func byPC(a, b Row) int { return cmp.Compare(a.PC, b.PC) }

func sameRule(a, b Row) bool {
	a.PC, b.PC = 0, 0
	return a == b
}

// Find returns the row covering vaddr.
func (t *Table) Find(vaddr uint64) (Row, bool) {
	i := sort.Search(len(t.Rows), func(i int) bool { return t.Rows[i].PC > vaddr })
	if i == 0 {
		return Row{}, false
	}
	return t.Rows[i-1], true
}
