package unwind

import (
	"bytes"
	"fmt"
)

// Arch names the DWARF registers the unwinder follows.
type Arch struct {
	Name       string
	SP, FP, RA uint64 // DWARF register numbers
}

var (
	// AMD64: rsp, rbp and the return address column.
	AMD64 = Arch{Name: "x86-64", SP: 7, FP: 6, RA: 16}
	// ARM64: sp, x29 (frame pointer) and x30 (link register).
	ARM64 = Arch{Name: "arm64", SP: 31, FP: 29, RA: 30}
)

type ruleKind uint8

const (
	ruleSame      ruleKind = iota // the register keeps its value
	ruleUndefined                 // no value (the return address of the outermost frame)
	ruleOffset                    // saved at CFA+off
	ruleOther                     // anything else: not followed
)

type rule struct {
	kind ruleKind
	off  int64
}

// state is one row of the CFI table being built.
type state struct {
	cfaReg  uint64
	cfaOff  int64
	cfaExpr []byte // DW_CFA_def_cfa_expression's block, when set
	fp, ra  rule
}

// DWARF call frame instructions.
const (
	cfaAdvanceLoc        = 0x40
	cfaOffset            = 0x80
	cfaRestore           = 0xc0
	cfaNop               = 0x00
	cfaSetLoc            = 0x01
	cfaAdvanceLoc1       = 0x02
	cfaAdvanceLoc2       = 0x03
	cfaAdvanceLoc4       = 0x04
	cfaOffsetExtended    = 0x05
	cfaRestoreExtended   = 0x06
	cfaUndefined         = 0x07
	cfaSameValue         = 0x08
	cfaRegister          = 0x09
	cfaRememberState     = 0x0a
	cfaRestoreState      = 0x0b
	cfaDefCFA            = 0x0c
	cfaDefCFARegister    = 0x0d
	cfaDefCFAOffset      = 0x0e
	cfaDefCFAExpression  = 0x0f
	cfaExpression        = 0x10
	cfaOffsetExtendedSF  = 0x11
	cfaDefCFASF          = 0x12
	cfaDefCFAOffsetSF    = 0x13
	cfaValOffset         = 0x14
	cfaValOffsetSF       = 0x15
	cfaValExpression     = 0x16
	cfaGNUWindowSave     = 0x2d // arm64: DW_CFA_AARCH64_negate_ra_state
	cfaGNUArgsSize       = 0x2e
	cfaGNUNegOffsetExtnd = 0x2f
)

// interp runs call frame instructions.
type interp struct {
	arch    Arch
	c       *cie
	initial state // after the CIE's instructions: what DW_CFA_restore returns to
	cur     state
	stack   []state
	loc     uint64
	// table receives a row at each advance (nil: the CIE's instructions).
	table     *Table
	cieSignal bool
}

func (in *interp) setRule(reg uint64, r rule) {
	switch reg {
	case in.arch.FP:
		in.cur.fp = r
	case in.arch.RA:
		in.cur.ra = r
	}
}

func (in *interp) restore(reg uint64) {
	switch reg {
	case in.arch.FP:
		in.cur.fp = in.initial.fp
	case in.arch.RA:
		in.cur.ra = in.initial.ra
	}
}

// run executes insns; each advance of the location emits the row that
// held before it.
func (in *interp) run(insns []byte, bo reader) error {
	r := bo
	r.buf, r.pos = insns, 0
	for r.left() > 0 && r.err == nil {
		op := r.u8()
		switch op & 0xc0 {
		case cfaAdvanceLoc:
			in.advance(uint64(op&0x3f) * in.c.codeAlign)
			continue
		case cfaOffset:
			in.setRule(uint64(op&0x3f), rule{ruleOffset, int64(r.uleb()) * in.c.dataAlign})
			continue
		case cfaRestore:
			in.restore(uint64(op & 0x3f))
			continue
		}
		switch op {
		case cfaNop:
		case cfaSetLoc:
			loc := r.pointer(in.c.fdeEnc)
			if loc > in.loc {
				in.advance(loc - in.loc)
			}
		case cfaAdvanceLoc1:
			in.advance(uint64(r.u8()) * in.c.codeAlign)
		case cfaAdvanceLoc2:
			in.advance(uint64(r.u16()) * in.c.codeAlign)
		case cfaAdvanceLoc4:
			in.advance(uint64(r.u32()) * in.c.codeAlign)
		case cfaOffsetExtended:
			reg := r.uleb()
			in.setRule(reg, rule{ruleOffset, int64(r.uleb()) * in.c.dataAlign})
		case cfaOffsetExtendedSF:
			reg := r.uleb()
			in.setRule(reg, rule{ruleOffset, r.sleb() * in.c.dataAlign})
		case cfaGNUNegOffsetExtnd:
			reg := r.uleb()
			in.setRule(reg, rule{ruleOffset, -int64(r.uleb()) * in.c.dataAlign})
		case cfaRestoreExtended:
			in.restore(r.uleb())
		case cfaUndefined:
			in.setRule(r.uleb(), rule{kind: ruleUndefined})
		case cfaSameValue:
			in.setRule(r.uleb(), rule{kind: ruleSame})
		case cfaRegister:
			reg := r.uleb()
			r.uleb()
			in.setRule(reg, rule{kind: ruleOther})
		case cfaRememberState:
			in.stack = append(in.stack, in.cur)
		case cfaRestoreState:
			if len(in.stack) == 0 {
				return fmt.Errorf("DW_CFA_restore_state without remember_state")
			}
			in.cur = in.stack[len(in.stack)-1]
			in.stack = in.stack[:len(in.stack)-1]
		case cfaDefCFA:
			in.cur.cfaReg, in.cur.cfaOff, in.cur.cfaExpr = r.uleb(), int64(r.uleb()), nil
		case cfaDefCFASF:
			in.cur.cfaReg, in.cur.cfaOff, in.cur.cfaExpr = r.uleb(), r.sleb()*in.c.dataAlign, nil
		case cfaDefCFARegister:
			in.cur.cfaReg, in.cur.cfaExpr = r.uleb(), nil
		case cfaDefCFAOffset:
			in.cur.cfaOff = int64(r.uleb())
		case cfaDefCFAOffsetSF:
			in.cur.cfaOff = r.sleb() * in.c.dataAlign
		case cfaDefCFAExpression:
			in.cur.cfaExpr = r.take(int(r.uleb()))
		case cfaExpression, cfaValExpression:
			reg := r.uleb()
			r.take(int(r.uleb()))
			in.setRule(reg, rule{kind: ruleOther})
		case cfaValOffset:
			reg := r.uleb()
			r.uleb()
			in.setRule(reg, rule{kind: ruleOther})
		case cfaValOffsetSF:
			reg := r.uleb()
			r.sleb()
			in.setRule(reg, rule{kind: ruleOther})
		case cfaGNUArgsSize:
			r.uleb()
		case cfaGNUWindowSave:
			// arm64 pointer authentication: the return address is
			// signed (or no longer) from here, where it is: the walker
			// strips the signature (unwind.bpf.h), so its rule stands.
		default:
			return fmt.Errorf("call frame instruction %#x", op)
		}
	}
	return r.err
}

func (in *interp) advance(delta uint64) {
	if delta == 0 {
		return
	}
	if in.table != nil {
		in.table.Rows = append(in.table.Rows, in.table.row(in.loc, in.cur, in.cieSignal))
	}
	in.loc += delta
}

// pltExpr is the CFA expression the linker gives x86-64 PLT entries:
// rsp+8, plus 8 more past byte N of each 16-byte entry (after its
// push), N the DW_OP_lit at index 4.
var pltExpr = []byte{0x77, 0x08, 0x80, 0x00, 0x3f, 0x1a, 0x3b, 0x2a, 0x33, 0x24, 0x22}

// isPLT matches pltExpr up to the threshold and returns it.
func isPLT(expr []byte) (int64, bool) {
	if len(expr) != len(pltExpr) || !bytes.Equal(expr[:6], pltExpr[:6]) || !bytes.Equal(expr[7:], pltExpr[7:]) {
		return 0, false
	}
	lit := expr[6]
	if lit < 0x30 || lit > 0x4f {
		return 0, false
	}
	return int64(lit - 0x30), true
}
