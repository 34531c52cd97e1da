package unwind

import (
	"bufio"
	"bytes"
	"debug/elf"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// readelfRow is one line of `readelf --debug-dump=frames-interp`.
type readelfRow struct {
	pc      uint64
	cfa     string // "rsp+8", "rbp+16", "exp"
	rbp, ra string // "u", "c-16", ...; "" when the column is absent
	// inRegister: some register is saved in another register
	// (DW_CFA_register, clone's FDE): readelf then prints "u" for a
	// return address the CIE saved, so the row is not compared.
	inRegister bool
}

// readelfTable is readelf's interpretation of every FDE: its rows, or
// (an FDE without instructions) its CIE's row at the FDE's start.
func readelfTable(t *testing.T, path string) (rows []readelfRow, ends map[uint64]bool) {
	t.Helper()
	// readelf exits 1 over debug sections it does not know (libc's) but
	// still prints .eh_frame.
	out, err := exec.Command("readelf", "--debug-dump=frames-interp", path).Output()
	if len(out) == 0 {
		t.Fatalf("readelf %s: %v", path, err)
	}
	cieRow := map[string]readelfRow{}
	ends = map[uint64]bool{}
	var cols []string
	var cieOff string
	inCIE := false
	var fdeStart, fdeEnd uint64
	var fdeRows int
	var fdeCIE string
	flush := func() {
		if !inCIE && fdeEnd > 0 && fdeRows == 0 {
			r := cieRow[fdeCIE]
			r.pc = fdeStart
			rows = append(rows, r)
		}
	}
	s := bufio.NewScanner(bytes.NewReader(out))
	for s.Scan() {
		f := strings.Fields(s.Text())
		switch {
		case len(f) >= 4 && f[3] == "CIE":
			flush()
			inCIE, cieOff, fdeEnd = true, f[0], 0
		case len(f) >= 6 && f[3] == "FDE":
			flush()
			inCIE, fdeRows = false, 0
			fdeCIE = strings.TrimPrefix(f[4], "cie=")
			lo, hi, _ := strings.Cut(strings.TrimPrefix(f[5], "pc="), "..")
			fdeStart, _ = strconv.ParseUint(lo, 16, 64)
			fdeEnd, _ = strconv.ParseUint(hi, 16, 64)
			ends[fdeEnd] = true
		case len(f) >= 2 && f[0] == "LOC":
			cols = f
		case len(f) >= 2 && len(f[0]) == 16:
			pc, err := strconv.ParseUint(f[0], 16, 64)
			if err != nil {
				continue
			}
			r := readelfRow{pc: pc, cfa: f[1]}
			for i := 2; i < len(f) && i < len(cols); i++ {
				if v := f[i]; v != "u" && v != "s" && v != "exp" && !strings.HasPrefix(v, "c") {
					r.inRegister = true
				}
				switch cols[i] {
				case "rbp":
					r.rbp = f[i]
				case "ra":
					r.ra = f[i]
				}
			}
			if inCIE {
				cieRow[cieOff] = r
				continue
			}
			if r.inRegister {
				fdeRows++
				continue
			}
			if pc < fdeEnd {
				rows = append(rows, r)
				fdeRows++
			}
		}
	}
	flush()
	return rows, ends
}

// want is what the table must say where readelf says r.
func (r readelfRow) want() Row {
	w := Row{PC: r.pc}
	if r.ra == "u" {
		w.CFA = BaseEnd
		return w
	}
	if r.cfa == "exp" {
		w.CFA = BasePLT
		return w
	}
	base, off, _ := strings.Cut(r.cfa, "+")
	n, _ := strconv.Atoi(off)
	switch base {
	case "rsp":
		w.CFA = BaseSP
	case "rbp":
		w.CFA = BaseFP
	default:
		return Row{PC: r.pc} // not followed
	}
	w.CFAOffset = int32(n)
	if v, ok := strings.CutPrefix(r.ra, "c"); ok {
		n, _ := strconv.Atoi(v)
		w.RAOffset = int32(n)
	} else {
		return Row{PC: r.pc}
	}
	if v, ok := strings.CutPrefix(r.rbp, "c"); ok {
		n, _ := strconv.Atoi(v)
		w.FPOffset = int32(n)
	}
	return w
}

func need(t *testing.T, tools ...string) {
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
}

func gcc(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("gcc", args...).CombinedOutput(); err != nil {
		t.Fatalf("gcc %v: %v\n%s", args, err, out)
	}
}

// TestTablesMatchReadelf builds ELF files with gcc and checks every row
// readelf interprets from their .eh_frame against the table.
func TestTablesMatchReadelf(t *testing.T) {
	need(t, "gcc", "readelf", "strip")
	dir := t.TempDir()
	bin := func(name string) string { return filepath.Join(dir, name) }
	gcc(t, "-O2", "-fomit-frame-pointer", "-fPIE", "-pie", "-o", bin("pie-nofp"), "testdata/hot.c")
	gcc(t, "-O2", "-fno-omit-frame-pointer", "-fPIE", "-pie", "-o", bin("pie-fp"), "testdata/hot.c")
	gcc(t, "-O1", "-fno-pie", "-no-pie", "-o", bin("exec"), "testdata/hot.c")
	gcc(t, "-O2", "-fomit-frame-pointer", "-shared", "-fPIC", "-o", bin("lib.so"), "testdata/lib.c")
	gcc(t, "-O0", "-shared", "-fPIC", "-o", bin("lib-O0.so"), "testdata/lib.c")
	if out, err := exec.Command("strip", "--strip-all", "-o", bin("stripped"), bin("pie-nofp")).CombinedOutput(); err != nil {
		t.Fatalf("strip: %v: %s", err, out)
	}
	cases := []struct {
		name    string
		path    string
		wantFP  bool // some row computes the CFA from rbp
		minRows int
		plt     bool
	}{
		{"PIE without frame pointers", bin("pie-nofp"), false, 8, true},
		{"PIE with frame pointers", bin("pie-fp"), true, 8, true},
		{"non-PIE executable", bin("exec"), false, 8, true},
		{"shared library", bin("lib.so"), false, 6, true},
		{"shared library -O0", bin("lib-O0.so"), true, 6, true},
		{"stripped, .eh_frame kept", bin("stripped"), false, 8, true},
	}
	for _, lib := range []string{"/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/x86_64-linux-gnu/libc.so.6"} {
		if _, err := os.Stat(lib); err == nil {
			cases = append(cases, struct {
				name    string
				path    string
				wantFP  bool
				minRows int
				plt     bool
			}{"the system's libc", lib, true, 10000, true})
			break
		}
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tab, err := Open(c.path)
			if err != nil {
				t.Fatal(err)
			}
			if len(tab.Rows) < c.minRows {
				t.Errorf("%d rows, want at least %d", len(tab.Rows), c.minRows)
			}
			rows, ends := readelfTable(t, c.path)
			if len(rows) == 0 {
				t.Fatal("readelf found no rows")
			}
			sawFP, sawPLT, bad := false, false, 0
			for _, r := range rows {
				w := r.want()
				got, ok := tab.Find(r.pc)
				if w.CFA == BaseFP {
					sawFP = true
				}
				if w.CFA == BasePLT {
					// A PLT's expression (threshold checked in TestPLT), or
					// another expression (a signal frame's) not followed.
					if got.CFA == BasePLT {
						sawPLT = true
					}
					if got.CFA == BasePLT || got.CFA == BaseNone {
						continue
					}
				}
				got.PC = r.pc
				if !ok || got != w {
					if bad++; bad <= 5 {
						t.Errorf("at %#x readelf says cfa=%s rbp=%s ra=%s; table %+v, want %+v", r.pc, r.cfa, r.rbp, r.ra, got, w)
					}
				}
			}
			if !sawPLT && c.plt {
				t.Error("no PLT rows")
			}
			if sawFP != c.wantFP {
				t.Errorf("rbp-based CFA rows: %v, want %v", sawFP, c.wantFP)
			}
			// An FDE's end that no other FDE starts at is a gap.
			starts := map[uint64]bool{}
			for _, r := range rows {
				starts[r.pc] = true
			}
			for end := range ends {
				if starts[end] {
					continue
				}
				if got, ok := tab.Find(end); !ok || got.CFA != BaseNone {
					t.Errorf("past the FDE ending at %#x: %+v, want a gap", end, got)
				}
			}
		})
	}
}

// TestPLT: the PLT's CFA expression becomes BasePLT with its threshold.
func TestPLT(t *testing.T) {
	for _, c := range []struct {
		expr []byte
		n    int64
		ok   bool
	}{
		{pltExpr, 11, true},
		{[]byte{0x77, 0x08, 0x80, 0x00, 0x3f, 0x1a, 0x3a, 0x2a, 0x33, 0x24, 0x22}, 10, true},
		{[]byte{0x77, 0x08}, 0, false},
		{[]byte{0x77, 0x10, 0x80, 0x00, 0x3f, 0x1a, 0x3b, 0x2a, 0x33, 0x24, 0x22}, 0, false},
	} {
		n, ok := isPLT(c.expr)
		if n != c.n || ok != c.ok {
			t.Errorf("isPLT(% x) = %d, %v; want %d, %v", c.expr, n, ok, c.n, c.ok)
		}
	}
}

func TestLEB128(t *testing.T) {
	for _, c := range []struct {
		in   []byte
		u    uint64
		s    int64
		size int
	}{
		{[]byte{0x02}, 2, 2, 1},
		{[]byte{0x7f}, 127, -1, 1},
		{[]byte{0x80, 0x01}, 128, 128, 2},
		{[]byte{0xe5, 0x8e, 0x26}, 624485, 624485, 3},
		{[]byte{0xc0, 0xbb, 0x78}, 1973696, -123456, 3},
	} {
		r := &reader{buf: c.in}
		if u := r.uleb(); u != c.u || r.pos != c.size {
			t.Errorf("uleb(% x) = %d (%d bytes), want %d", c.in, u, r.pos, c.u)
		}
		r = &reader{buf: c.in}
		if s := r.sleb(); s != c.s || r.pos != c.size {
			t.Errorf("sleb(% x) = %d (%d bytes), want %d", c.in, s, r.pos, c.s)
		}
	}
	r := &reader{buf: []byte{0x80}}
	r.uleb()
	if r.err == nil {
		t.Error("a truncated uleb128 read without error")
	}
}

// TestNoEHFrame: a file without .eh_frame says so.
func TestNoEHFrame(t *testing.T) {
	need(t, "gcc", "objcopy")
	dir := t.TempDir()
	exe, bare := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	gcc(t, "-O2", "-o", exe, "testdata/hot.c")
	if out, err := exec.Command("objcopy", "--remove-section=.eh_frame", "--remove-section=.eh_frame_hdr", exe, bare).CombinedOutput(); err != nil {
		t.Fatalf("objcopy: %v: %s", err, out)
	}
	if _, err := Open(bare); err != ErrNoEHFrame {
		t.Errorf("Open of a file without .eh_frame: %v, want ErrNoEHFrame", err)
	}
}

// TestARM64PointerAuth: arm64 code built with -mbranch-protection=standard
// signs x30 on entry (paciasp, DW_CFA_AARCH64_negate_ra_state in its
// CFI). The signature does not move the return address: right after
// paciasp it is still in x30 (the CFA is sp), which the walker reads and
// strips, not a frame-pointer step.
func TestARM64PointerAuth(t *testing.T) {
	need(t, "aarch64-linux-gnu-gcc")
	exe := filepath.Join(t.TempDir(), "hot-pac")
	if out, err := exec.Command("aarch64-linux-gnu-gcc", "-O2", "-fomit-frame-pointer", "-mbranch-protection=standard",
		"-static", "-o", exe, "testdata/hot.c").CombinedOutput(); err != nil {
		t.Fatalf("aarch64-linux-gnu-gcc: %v: %s", err, out)
	}
	f, err := elf.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		t.Fatal(err)
	}
	var main uint64
	for _, s := range syms {
		if s.Name == "main" {
			main = s.Value
		}
	}
	text := f.Section(".text")
	if main == 0 || text == nil {
		t.Fatal("no main or .text")
	}
	var insn [4]byte
	if _, err := text.ReadAt(insn[:], int64(main-text.Addr)); err != nil {
		t.Fatal(err)
	}
	if binary.LittleEndian.Uint32(insn[:]) != 0xd503233f {
		t.Skipf("main does not start with paciasp (%x): this gcc signs nothing", insn)
	}
	tab, err := Build(f)
	if err != nil {
		t.Fatal(err)
	}
	r, ok := tab.Find(main + 4)
	if !ok || r.CFA != BaseSP || r.CFAOffset != 0 || r.RAOffset != 0 {
		t.Errorf("row after main's paciasp: %+v, %v; want CFA sp+0, return address in x30", r, ok)
	}
}
