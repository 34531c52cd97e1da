package unwind

import (
	"encoding/binary"
	"fmt"
	"strings"
)

// cie is a Common Information Entry: what its FDEs share.
type cie struct {
	codeAlign uint64
	dataAlign int64
	raReg     uint64
	fdeEnc    uint8 // how FDEs encode their addresses
	hasAug    bool  // 'z': FDEs carry an augmentation length
	signal    bool  // 'S': a signal trampoline's frame
	initial   []byte
}

// fde is a Frame Description Entry: one function's (or code range's)
// call frame instructions.
type fde struct {
	cie        *cie
	start, end uint64
	insns      []byte
}

// parseEHFrame reads every FDE of an .eh_frame section loaded at addr.
func parseEHFrame(data []byte, addr uint64, bo binary.ByteOrder) ([]fde, error) {
	cies := map[int]*cie{}
	var fdes []fde
	r := &reader{buf: data, addr: addr, bo: bo}
	for r.left() >= 4 && r.err == nil {
		start := r.pos
		length := uint64(r.u32())
		if length == 0 { // the terminator
			break
		}
		if length == 0xffffffff {
			length = r.u64()
		}
		body := r.pos
		if length > uint64(r.left()) {
			return nil, fmt.Errorf(".eh_frame entry at %#x: length %d past the section", start, length)
		}
		end := body + int(length)
		idPos := r.pos
		id := r.u32()
		if id == 0 {
			c, err := parseCIE(r, end)
			if err != nil {
				return nil, fmt.Errorf(".eh_frame CIE at %#x: %w", start, err)
			}
			cies[start] = c
		} else {
			c, ok := cies[idPos-int(id)]
			if !ok {
				var err error
				if c, err = cieAt(data, addr, bo, idPos-int(id)); err != nil {
					return nil, fmt.Errorf(".eh_frame FDE at %#x: %w", start, err)
				}
				cies[idPos-int(id)] = c
			}
			f, err := parseFDE(r, end, c)
			if err != nil {
				return nil, fmt.Errorf(".eh_frame FDE at %#x: %w", start, err)
			}
			if f.end > f.start {
				fdes = append(fdes, f)
			}
		}
		r.pos = end
	}
	return fdes, r.err
}

// cieAt parses the CIE at offset off (an FDE that points forward).
func cieAt(data []byte, addr uint64, bo binary.ByteOrder, off int) (*cie, error) {
	if off < 0 || off+8 > len(data) {
		return nil, fmt.Errorf("CIE pointer %#x outside the section", off)
	}
	r := &reader{buf: data, addr: addr, bo: bo, pos: off}
	length := uint64(r.u32())
	if length == 0xffffffff {
		length = r.u64()
	}
	end := r.pos + int(length)
	if length > uint64(r.left()) || r.u32() != 0 {
		return nil, fmt.Errorf("no CIE at %#x", off)
	}
	return parseCIE(r, end)
}

func parseCIE(r *reader, end int) (*cie, error) {
	c := &cie{fdeEnc: peAbsptr}
	version := r.u8()
	if version != 1 && version != 3 {
		return nil, fmt.Errorf("CIE version %d", version)
	}
	aug := r.cstring()
	if strings.Contains(aug, "eh") {
		r.u64() // the old GCC "eh" data
	}
	c.codeAlign = r.uleb()
	c.dataAlign = r.sleb()
	if version == 1 {
		c.raReg = uint64(r.u8())
	} else {
		c.raReg = r.uleb()
	}
	if strings.HasPrefix(aug, "z") {
		c.hasAug = true
		n := r.uleb()
		augEnd := r.pos + int(n)
		for _, ch := range aug[1:] {
			switch ch {
			case 'L':
				r.u8()
			case 'P':
				r.pointer(r.u8() &^ peIndir)
			case 'R':
				c.fdeEnc = r.u8()
			case 'S':
				c.signal = true
			}
		}
		r.pos = augEnd
	} else if aug != "" && aug != "eh" {
		return nil, fmt.Errorf("augmentation %q", aug)
	}
	if r.err != nil || r.pos > end {
		return nil, errShort
	}
	c.initial = r.buf[r.pos:end]
	return c, nil
}

func parseFDE(r *reader, end int, c *cie) (fde, error) {
	f := fde{cie: c}
	f.start = r.pointer(c.fdeEnc)
	f.end = f.start + r.pointer(c.fdeEnc&0x0f) // the range is a plain size
	if c.hasAug {
		r.pos += int(r.uleb())
	}
	if r.err != nil || r.pos > end {
		return f, errShort
	}
	f.insns = r.buf[r.pos:end]
	return f, nil
}
