package kbtf

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/cilium/ebpf/btf"
)

// shape writes a type as the tests compare it: members with offsets and
// bitfields, and a named struct or union reached through a pointer by its
// name only (Raw leaves it a forward declaration; the decoder builds it).
func shape(t btf.Type, behindPtr bool, depth int) string {
	if depth > 12 {
		return "…"
	}
	composite := func(kind, name string, ms []btf.Member, size uint32) string {
		if behindPtr && name != "" {
			return kind + " " + name
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%s %s(%d){", kind, name, size)
		for _, m := range ms {
			fmt.Fprintf(&b, "%s@%d:%d %s; ", m.Name, m.Offset, m.BitfieldSize, shape(m.Type, false, depth+1))
		}
		return b.String() + "}"
	}
	switch t := t.(type) {
	case *btf.Void:
		return "void"
	case *btf.Int:
		return fmt.Sprintf("%s/%d/%d", t.Name, t.Size, t.Encoding)
	case *btf.Pointer:
		return "*" + shape(t.Target, true, depth+1)
	case *btf.Array:
		return fmt.Sprintf("[%d]%s idx %s", t.Nelems, shape(t.Type, behindPtr, depth+1), shape(t.Index, false, depth+1))
	case *btf.Struct:
		return composite("struct", t.Name, t.Members, t.Size)
	case *btf.Union:
		return composite("union", t.Name, t.Members, t.Size)
	case *btf.Fwd:
		if t.Kind == btf.FwdUnion {
			return "union " + t.Name
		}
		return "struct " + t.Name
	case *btf.Enum:
		return fmt.Sprintf("enum %s(%d,%v,%d values)", t.Name, t.Size, t.Signed, len(t.Values))
	case *btf.Typedef:
		return t.Name + "=" + shape(t.Type, behindPtr, depth+1)
	case *btf.Const:
		return "const " + shape(t.Type, behindPtr, depth+1)
	case *btf.Volatile:
		return "volatile " + shape(t.Type, behindPtr, depth+1)
	case *btf.Restrict:
		return "restrict " + shape(t.Type, behindPtr, depth+1)
	case *btf.TypeTag:
		return "tag(" + t.Value + ") " + shape(t.Type, behindPtr, depth+1)
	case *btf.FuncProto:
		var ps []string
		for _, p := range t.Params {
			ps = append(ps, p.Name+" "+shape(p.Type, true, depth+1))
		}
		return "fn(" + strings.Join(ps, ", ") + ") " + shape(t.Return, true, depth+1)
	case *btf.Float:
		return fmt.Sprintf("float %s/%d", t.Name, t.Size)
	}
	return fmt.Sprintf("%T", t)
}

func marshal(t *testing.T, types ...btf.Type) []byte {
	t.Helper()
	b, err := btf.NewBuilder(types, nil)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := b.Marshal(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestCompositeBuildsOneLevel(t *testing.T) {
	u32 := &btf.Int{Name: "unsigned int", Size: 4}
	s32 := &btf.Int{Name: "int", Size: 4, Encoding: btf.Signed}
	char := &btf.Int{Name: "char", Size: 1, Encoding: btf.Char}
	other := &btf.Struct{Name: "other", Size: 4, Members: []btf.Member{{Name: "x", Type: u32}}}
	inner := &btf.Struct{Name: "inner", Size: 4, Members: []btf.Member{{Name: "y", Type: s32}}}
	anon := &btf.Struct{Size: 4, Members: []btf.Member{{Name: "z", Type: u32}}}
	color := &btf.Enum{Name: "color", Size: 4, Signed: true, Values: []btf.EnumValue{{Name: "RED", Value: uint64(1<<64 - 1)}, {Name: "BLUE", Value: 2}}}
	big := &btf.Enum{Name: "big", Size: 8, Values: []btf.EnumValue{{Name: "HUGE", Value: 1 << 40}}}
	un := &btf.Union{Name: "un", Size: 8, Members: []btf.Member{{Name: "big", Type: big}, {Name: "o", Type: other}}}
	outer := &btf.Struct{Name: "outer", Size: 96}
	outer.Members = []btf.Member{
		{Name: "a", Type: u32, Offset: 0, BitfieldSize: 3},
		{Name: "b", Type: u32, Offset: 3, BitfieldSize: 5},
		{Name: "in", Type: inner, Offset: 32},
		{Name: "p", Type: &btf.Pointer{Target: other}, Offset: 64},
		{Name: "self", Type: &btf.Pointer{Target: outer}, Offset: 128},
		{Name: "anonp", Type: &btf.Pointer{Target: anon}, Offset: 192},
		{Name: "tdp", Type: &btf.Pointer{Target: &btf.Typedef{Name: "other_t", Type: other}}, Offset: 256},
		{Name: "name", Type: &btf.Array{Type: char, Index: u32, Nelems: 16}, Offset: 320},
		{Name: "c", Type: color, Offset: 448},
		{Name: "cv", Type: &btf.Const{Type: &btf.Volatile{Type: u32}}, Offset: 480},
		{Name: "fn", Type: &btf.Pointer{Target: &btf.FuncProto{Return: s32, Params: []btf.FuncParam{{Name: "o", Type: &btf.Pointer{Target: other}}}}}, Offset: 512},
		{Name: "un", Type: un, Offset: 576},
		{Name: "", Type: &btf.Union{Size: 4, Members: []btf.Member{{Name: "w", Type: u32}}}, Offset: 640},
	}
	r, err := ParseRaw(marshal(t, outer))
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.Composite("struct outer")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got.(*btf.Struct).Members[4].Type.(*btf.Pointer).Target.(*btf.Fwd); !ok {
		t.Errorf("outer.self points to %T, not a forward declaration", got.(*btf.Struct).Members[4].Type.(*btf.Pointer).Target)
	}
	want := "struct outer(96){a@0:3 unsigned int/4/0; b@3:5 unsigned int/4/0; in@32:0 struct inner(4){y@0:0 int/4/1; }; " +
		"p@64:0 *struct other; self@128:0 *struct outer; anonp@192:0 *struct (4){z@0:0 unsigned int/4/0; }; " +
		"tdp@256:0 *other_t=struct other; name@320:0 [16]char/1/2 idx unsigned int/4/0; c@448:0 enum color(4,true,2 values); " +
		"cv@480:0 const volatile unsigned int/4/0; fn@512:0 *fn(o *struct other) int/4/1; " +
		"un@576:0 union un(8){big@0:0 enum big(8,false,1 values); o@0:0 struct other(4){x@0:0 unsigned int/4/0; }; }; " +
		"@640:0 union (4){w@0:0 unsigned int/4/0; }; }"
	if s := shape(got, false, 0); s != want {
		t.Errorf("got  %s\nwant %s", s, want)
	}
	// The decoder's view of the same bytes agrees, pointers aside.
	spec, err := btf.LoadSpecFromReader(strings.NewReader(string(marshal(t, outer))))
	if err != nil {
		t.Fatal(err)
	}
	var dec *btf.Struct
	if err := spec.TypeByName("outer", &dec); err != nil {
		t.Fatal(err)
	}
	if s := shape(dec, false, 0); s != want {
		t.Errorf("decoder %s\nwant    %s", s, want)
	}

	if u, err := r.Composite("union un"); err != nil || shape(u, false, 0) != shape(un, false, 0) {
		t.Errorf("union un: %v, %v", shape(u, false, 0), err)
	}
	for name, v := range map[string]int64{"RED": -1, "BLUE": 2, "HUGE": 1 << 40} {
		if got, ok := r.Enum(name); !ok || got != v {
			t.Errorf("Enum(%s) = %d, %v; want %d", name, got, ok, v)
		}
	}
	if _, ok := r.Enum("GREEN"); ok {
		t.Error("Enum(GREEN) found")
	}
	for _, name := range []string{"struct nothing", "union outer", "enum color", "outer"} {
		if _, err := r.Composite(name); err == nil {
			t.Errorf("Composite(%q): no error", name)
		} else if strings.HasPrefix(name, "struct ") && !errors.Is(err, ErrNoType) {
			t.Errorf("Composite(%q): %v, not ErrNoType", name, err)
		}
	}
}

// TestCompositeMatchesTheDecoder: structs that bpftrace's tools read are
// built from this kernel's raw BTF as the decoder builds them.
func TestCompositeMatchesTheDecoder(t *testing.T) {
	if _, err := os.Stat(sysfsPath); err != nil {
		if os.Getenv("PROBEBOX_LIVE") == "1" {
			t.Fatalf("no kernel BTF: %v", err)
		}
		t.Skipf("no kernel BTF: %v", err)
	}
	r, err := LoadRaw()
	if err != nil {
		t.Fatal(err)
	}
	spec, err := btf.LoadKernelSpec()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"struct task_struct", "struct sk_buff", "struct sock", "struct sock_common", "struct file", "struct path", "struct dentry", "struct __kernel_timespec", "struct inet_sock", "struct tcp_sock", "union bpf_attr"} {
		got, err := r.Composite(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		want, err := SpecComposite(spec, name)
		if err != nil {
			t.Fatalf("decoder: %v", err)
		}
		if g, w := shape(got, false, 0), shape(want, false, 0); g != w {
			t.Errorf("%s:\nraw     %.600s\ndecoder %.600s", name, g, w)
		}
	}
}
