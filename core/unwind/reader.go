package unwind

import (
	"encoding/binary"
	"errors"
)

var errShort = errors.New("truncated")

// reader walks the bytes of .eh_frame; addr is the virtual address of
// buf[0], which pc-relative pointers are relative to.
type reader struct {
	buf  []byte
	pos  int
	addr uint64
	bo   binary.ByteOrder
	err  error
}

func (r *reader) left() int { return len(r.buf) - r.pos }

func (r *reader) take(n int) []byte {
	if r.err != nil || n < 0 || r.left() < n {
		r.err = errShort
		return make([]byte, max(n, 0))
	}
	b := r.buf[r.pos : r.pos+n]
	r.pos += n
	return b
}

func (r *reader) u8() uint8   { return r.take(1)[0] }
func (r *reader) u16() uint16 { return r.bo.Uint16(r.take(2)) }
func (r *reader) u32() uint32 { return r.bo.Uint32(r.take(4)) }
func (r *reader) u64() uint64 { return r.bo.Uint64(r.take(8)) }

func (r *reader) uleb() uint64 {
	var v uint64
	for shift := uint(0); ; shift += 7 {
		b := r.u8()
		if shift < 64 {
			v |= uint64(b&0x7f) << shift
		}
		if b&0x80 == 0 || r.err != nil {
			return v
		}
	}
}

func (r *reader) sleb() int64 {
	var v int64
	var shift uint
	var b uint8
	for {
		b = r.u8()
		if shift < 64 {
			v |= int64(b&0x7f) << shift
		}
		shift += 7
		if b&0x80 == 0 || r.err != nil {
			break
		}
	}
	if shift < 64 && b&0x40 != 0 {
		v |= -1 << shift
	}
	return v
}

func (r *reader) cstring() string {
	start := r.pos
	for r.err == nil && r.u8() != 0 {
	}
	if r.err != nil {
		return ""
	}
	return string(r.buf[start : r.pos-1])
}

// Pointer encodings (DW_EH_PE_*): the low nibble is the format, the
// high one what the value is relative to.
const (
	peAbsptr  = 0x00
	peULEB    = 0x01
	peUdata2  = 0x02
	peUdata4  = 0x03
	peUdata8  = 0x04
	peSLEB    = 0x09
	peSdata2  = 0x0a
	peSdata4  = 0x0b
	peSdata8  = 0x0c
	pePCRel   = 0x10
	peDataRel = 0x30
	peIndir   = 0x80
	peOmit    = 0xff
)

// pointer reads a value in encoding enc. pcrel values are made absolute;
// other bases (text, data, function relative) do not occur in the
// .eh_frame of x86-64 or arm64 binaries and are an error.
func (r *reader) pointer(enc uint8) uint64 {
	if enc == peOmit {
		return 0
	}
	here := r.addr + uint64(r.pos)
	var v uint64
	switch enc & 0x0f {
	case peAbsptr, peUdata8, peSdata8:
		v = r.u64()
	case peULEB:
		v = r.uleb()
	case peUdata2:
		v = uint64(r.u16())
	case peUdata4:
		v = uint64(r.u32())
	case peSLEB:
		v = uint64(r.sleb())
	case peSdata2:
		v = uint64(int64(int16(r.u16())))
	case peSdata4:
		v = uint64(int64(int32(r.u32())))
	default:
		r.err = errors.New("unknown pointer encoding")
	}
	switch enc & 0x70 {
	case 0:
	case pePCRel:
		v += here
	default:
		r.err = errors.New("unsupported pointer base")
	}
	return v
}
