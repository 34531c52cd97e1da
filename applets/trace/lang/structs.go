package lang

import (
	"fmt"

	"github.com/cilium/ebpf/btf"
)

// The struct layout pass turns the program's struct and union
// definitions into BTF types laid out as C lays them out on a 64-bit
// target, so casts and member reads treat them like the kernel's.

// ctypeSizes are the C base types a definition may use: size and
// signedness.
var ctypeSizes = map[string]struct {
	size   int
	signed bool
}{
	"char": {1, true}, "signed char": {1, true}, "unsigned char": {1, false},
	"short": {2, true}, "short int": {2, true}, "unsigned short": {2, false}, "unsigned short int": {2, false},
	"int": {4, true}, "signed": {4, true}, "signed int": {4, true}, "unsigned": {4, false}, "unsigned int": {4, false},
	"long": {8, true}, "long int": {8, true}, "unsigned long": {8, false}, "unsigned long int": {8, false},
	"long long": {8, true}, "unsigned long long": {8, false},
	"_Bool": {1, false}, "bool": {1, false},
	"u8": {1, false}, "u16": {2, false}, "u32": {4, false}, "u64": {8, false},
	"s8": {1, true}, "s16": {2, true}, "s32": {4, true}, "s64": {8, true},
	"__u8": {1, false}, "__u16": {2, false}, "__u32": {4, false}, "__u64": {8, false},
	"__s8": {1, true}, "__s16": {2, true}, "__s32": {4, true}, "__s64": {8, true},
	"uint8_t": {1, false}, "uint16_t": {2, false}, "uint32_t": {4, false}, "uint64_t": {8, false},
	"int8_t": {1, true}, "int16_t": {2, true}, "int32_t": {4, true}, "int64_t": {8, true},
	"uint8": {1, false}, "uint16": {2, false}, "uint32": {4, false}, "uint64": {8, false},
	"int8": {1, true}, "int16": {2, true}, "int32": {4, true}, "int64": {8, true},
	"size_t": {8, false}, "ssize_t": {8, true}, "pid_t": {4, true}, "uid_t": {4, false}, "gid_t": {4, false},
	"__be16": {2, false}, "__be32": {4, false}, "__le16": {2, false}, "__le32": {4, false},
}

// layoutStructs builds the program's types; a definition may point to
// itself or to one defined later, and may embed the kernel's types.
func (c *compiler) layoutStructs(defs []*StructDef) error {
	c.types = map[string]btf.Type{}
	shells := map[string]btf.Type{}
	for _, d := range defs {
		key := d.Kind + " " + d.Name
		if _, dup := shells[key]; dup {
			return &Error{File: d.File, Pos: d.Pos, Msg: fmt.Sprintf("%s is defined twice", key)}
		}
		if d.Kind == "union" {
			shells[key] = &btf.Union{Name: d.Name}
		} else {
			shells[key] = &btf.Struct{Name: d.Name}
		}
	}
	c.types = shells
	for _, d := range defs {
		if err := c.layout(d, shells[d.Kind+" "+d.Name]); err != nil {
			return err
		}
	}
	return nil
}

func (c *compiler) layout(d *StructDef, shell btf.Type) error {
	var ms []btf.Member
	off, align := 0, 1
	for _, f := range d.Fields {
		t, size, a, err := c.fieldType(f)
		if err != nil {
			return &Error{File: d.File, Pos: f.Pos, End: Pos{f.Pos.Line, f.Pos.Col + len(f.Name)}, Msg: err.Error()}
		}
		align = max(align, a)
		if d.Kind == "union" {
			ms = append(ms, btf.Member{Name: f.Name, Type: t})
			off = max(off, size)
			continue
		}
		off = (off + a - 1) / a * a
		ms = append(ms, btf.Member{Name: f.Name, Type: t, Offset: btf.Bits(8 * off)})
		off += size
	}
	size := uint32((off + align - 1) / align * align)
	switch s := shell.(type) {
	case *btf.Struct:
		s.Members, s.Size = ms, size
	case *btf.Union:
		s.Members, s.Size = ms, size
	}
	return nil
}

// fieldType is a member's BTF type, size and alignment.
func (c *compiler) fieldType(f FieldDecl) (btf.Type, int, int, error) {
	var t btf.Type
	size, align := 8, 8
	if f.Ptr > 0 {
		base, err := c.baseType(f.Type, true)
		if err != nil {
			return nil, 0, 0, err
		}
		t = base
		for i := 0; i < f.Ptr; i++ {
			t = &btf.Pointer{Target: t}
		}
	} else {
		base, err := c.baseType(f.Type, false)
		if err != nil {
			return nil, 0, 0, err
		}
		t = base
		sz, err := btf.Sizeof(base)
		if err != nil || sz == 0 {
			return nil, 0, 0, fmt.Errorf("member %s: %s has no known size here", f.Name, f.Type)
		}
		size, align = sz, alignOf(base, 0)
	}
	if f.Array > 0 {
		t = &btf.Array{Type: t, Nelems: uint32(f.Array), Index: &btf.Int{Name: "int", Size: 4}}
		size *= f.Array
	}
	return t, size, align, nil
}

// baseType resolves a type name; behindPtr allows a type that is not
// known anywhere (only its address is kept).
func (c *compiler) baseType(name string, behindPtr bool) (btf.Type, error) {
	if name == "void" {
		if behindPtr {
			return &btf.Void{}, nil
		}
		return nil, fmt.Errorf("a member cannot be void")
	}
	if it, ok := ctypeSizes[name]; ok {
		enc := btf.Unsigned
		if it.signed {
			enc = btf.Signed
		}
		if name == "char" {
			enc = btf.Char
		}
		return &btf.Int{Name: name, Size: uint32(it.size), Encoding: enc}, nil
	}
	if t, err := c.typeNamed(name); err == nil {
		return t, nil
	} else if behindPtr {
		return &btf.Fwd{Name: name}, nil
	} else {
		return nil, err
	}
}

// typeNamed finds "struct NAME" or "union NAME": the program's own
// definitions first, as a definition in the script is what clang sees
// first for bpftrace, then the kernel's BTF.
func (c *compiler) typeNamed(name string) (btf.Type, error) {
	if t, ok := c.types[name]; ok {
		return t, nil
	}
	if len(name) > 5 && name[:5] == "enum " {
		return &btf.Int{Name: "int", Size: 4, Encoding: btf.Signed}, nil
	}
	return c.env.KernelType(name)
}

// alignOf is a type's C alignment on a 64-bit target.
func alignOf(t btf.Type, depth int) int {
	if depth > 32 {
		return 8
	}
	switch t := btf.UnderlyingType(t).(type) {
	case *btf.Int:
		return max(1, min(int(t.Size), 8))
	case *btf.Enum:
		return max(1, int(t.Size))
	case *btf.Array:
		return alignOf(t.Type, depth+1)
	case *btf.Struct, *btf.Union:
		a := 1
		ms, _ := members(t)
		for _, m := range ms {
			a = max(a, alignOf(m.Type, depth+1))
		}
		return a
	}
	return 8
}
