package kbtf

import "encoding/binary"

// BTF type kinds whose trailing data the walk must step over (uapi
// linux/btf.h).
const (
	kindInt       = 1
	kindArray     = 3
	kindStruct    = 4
	kindUnion     = 5
	kindEnum      = 6
	kindFuncProto = 13
	kindVar       = 14
	kindDatasec   = 15
	kindDeclTag   = 17
	kindEnum64    = 19
)

// Enum finds an enumerator of the kernel's BTF (enum and enum64 types)
// by name, the first of that name: bpftrace's programs use them as
// constants (SKB_DROP_REASON_NOT_SPECIFIED). It walks the raw enum types
// for the one name: a map of every enumerator took longer to build than
// a script's few lookups take.
func (r *Raw) Enum(name string) (int64, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if v, ok := r.enums[name]; ok {
		return v.value, v.found
	}
	var found enumAnswer
	r.eachEnumerator(func(n []byte, v int64) bool {
		if string(n) == name {
			found = enumAnswer{v, true}
			return false
		}
		return true
	})
	if r.enums == nil {
		r.enums = map[string]enumAnswer{}
	}
	r.enums[name] = found
	return found.value, found.found
}

type enumAnswer struct {
	value int64
	found bool
}

// eachEnumerator calls fn with each enumerator in type order until fn
// says stop. 32-bit values of a signed enum are sign-extended.
func (r *Raw) eachEnumerator(fn func(name []byte, v int64) bool) {
	ne := binary.NativeEndian
	for id := 1; id < len(r.offs); id++ {
		t := r.types[r.offs[id]:]
		info := ne.Uint32(t[4:])
		kind, vlen := info>>24&0x1f, int(info&0xffff)
		if kind != kindEnum && kind != kindEnum64 {
			continue
		}
		signed := info>>31 == 1 // kind_flag
		body := t[12:]
		for i := 0; i < vlen; i++ {
			var n []byte
			var v int64
			if kind == kindEnum {
				n, v = r.name(ne.Uint32(body[8*i:])), int64(ne.Uint32(body[8*i+4:]))
				if signed {
					v = int64(int32(v))
				}
			} else {
				e := body[12*i:]
				n, v = r.name(ne.Uint32(e)), int64(uint64(ne.Uint32(e[4:]))|uint64(ne.Uint32(e[8:]))<<32)
			}
			if len(n) > 0 && !fn(n, v) {
				return
			}
		}
	}
}
