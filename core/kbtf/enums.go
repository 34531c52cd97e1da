package kbtf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
)

// EnumValues reads every enumerator of the running kernel's BTF (enum
// and enum64 types) by name, the first of a name kept: bpftrace's
// programs use them as constants (SKB_DROP_REASON_NOT_SPECIFIED). It
// walks the raw type section instead of decoding the types, which takes
// the decoder over a second for a whole kernel and a few tens of
// milliseconds here.
func EnumValues() (map[string]int64, error) {
	raw, err := os.ReadFile(sysfsPath)
	if err != nil {
		return nil, err
	}
	return enumValues(raw)
}

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

func enumValues(raw []byte) (map[string]int64, error) {
	ne := binary.NativeEndian
	if len(raw) < 24 || ne.Uint16(raw) != 0xeb9f {
		return nil, errors.New("not BTF in this machine's byte order")
	}
	hdrLen := ne.Uint32(raw[4:])
	typeOff, typeLen := ne.Uint32(raw[8:]), ne.Uint32(raw[12:])
	strOff, strLen := ne.Uint32(raw[16:]), ne.Uint32(raw[20:])
	end := func(off, n uint32) uint64 { return uint64(hdrLen) + uint64(off) + uint64(n) }
	if end(typeOff, typeLen) > uint64(len(raw)) || end(strOff, strLen) > uint64(len(raw)) {
		return nil, errors.New("BTF sections beyond the file")
	}
	types := raw[hdrLen+typeOff : hdrLen+typeOff+typeLen]
	strs := raw[hdrLen+strOff : hdrLen+strOff+strLen]
	name := func(off uint32) string {
		if off >= uint32(len(strs)) {
			return ""
		}
		s := strs[off:]
		if i := bytes.IndexByte(s, 0); i >= 0 {
			s = s[:i]
		}
		return string(s)
	}
	values := map[string]int64{}
	for len(types) >= 12 {
		info := ne.Uint32(types[4:])
		kind, vlen := info>>24&0x1f, int(info&0xffff)
		signed := info>>31 == 1 // kind_flag: a signed enum
		types = types[12:]
		var extra int
		switch kind {
		case kindInt, kindVar, kindDeclTag:
			extra = 4
		case kindArray:
			extra = 12
		case kindStruct, kindUnion, kindDatasec:
			extra = 12 * vlen
		case kindEnum, kindFuncProto:
			extra = 8 * vlen
		case kindEnum64:
			extra = 12 * vlen
		}
		if extra > len(types) {
			return nil, fmt.Errorf("BTF type data cut short")
		}
		switch kind {
		case kindEnum:
			for i := 0; i < vlen; i++ {
				n, v := name(ne.Uint32(types[8*i:])), ne.Uint32(types[8*i+4:])
				if _, dup := values[n]; !dup && n != "" {
					values[n] = int64(v)
					if signed {
						values[n] = int64(int32(v))
					}
				}
			}
		case kindEnum64:
			for i := 0; i < vlen; i++ {
				e := types[12*i:]
				n := name(ne.Uint32(e))
				v := uint64(ne.Uint32(e[4:])) | uint64(ne.Uint32(e[8:]))<<32
				if _, dup := values[n]; !dup && n != "" {
					values[n] = int64(v)
				}
			}
		}
		types = types[extra:]
	}
	return values, nil
}
