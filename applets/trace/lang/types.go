package lang

import (
	"fmt"
	"strings"

	"github.com/cilium/ebpf/btf"
)

// Kind of a value.
type Kind int

const (
	KNone Kind = iota // statements' "value": printf(), exit()...
	KInt
	KStr
	KKstack // a kernel stack id from bpf_get_stackid
	KUstack // a user stack: pid << 32 | stack id
	KKsym   // ksym(addr): a kernel address, named when printed
	KUsym   // usym(addr): {addr, pid}, named when printed
	KInet   // ntop(): {family, 16 address bytes}, printed as text
	KBytes  // a u8[N] tracepoint field: only ntop() takes it
	KStruct // an embedded struct or union member: only its fields can be read
	KTime   // strftime(): nanoseconds since boot, printed with Format
	KMac    // macaddr(): 6 address bytes (in 8), printed XX:XX:XX:XX:XX:XX
	KBuf    // buf(): a u64 length, then the bytes (Bits: how many at most), printed with %r
	KTuple  // (a, b, ...): Elems, each 8-aligned (TupleOffsets), printed "(a, b)"
	KUser   // username: a uid, printed as the user's name
	KErrno  // strerror(): an errno, printed as the C library's message
	// KCgroupPath is cgroup_path(): a cgroup id, printed as its path in
	// each hierarchy (Format: the hierarchies' filter, "" for all).
	KCgroupPath
)

// Type of an expression: integers are 64-bit, strings a fixed buffer.
type Type struct {
	Kind Kind
	Size int // bytes: 8 for integers, the buffer for strings
	// Ptr is, for an integer that is a kernel pointer, the BTF type it
	// points to (curtask, casts, pointer members): x->field reads it.
	Ptr btf.Type
	// Struct is a KStruct's BTF struct or union.
	Struct btf.Type
	// User marks a pointer into user memory (uaddr()): dereferencing it
	// reads with bpf_probe_read_user.
	User bool
	// Format is a KTime's strftime format.
	Format string
	// Bits is an integer's width where the program read it from a
	// narrower field or cast it (16 for a u16 port); 0 means 64.
	// bswap() swaps that many bits.
	Bits int
	// Elems are a KTuple's element types.
	Elems []Type
}

var (
	intType  = Type{Kind: KInt, Size: 8}
	noneType = Type{Kind: KNone}
)

// StrLen is bpftrace's default string buffer (BPFTRACE_STRLEN).
const StrLen = 64

func strType(n int) Type { return Type{Kind: KStr, Size: n} }

func (t Type) String() string {
	switch t.Kind {
	case KInt:
		if t.Ptr != nil {
			return btfName(t.Ptr) + " *"
		}
		return "int64"
	case KStr:
		return fmt.Sprintf("string[%d]", t.Size)
	case KKstack:
		return "kstack"
	case KUstack:
		return "ustack"
	case KKsym:
		return "ksym"
	case KUsym:
		return "usym"
	case KInet:
		return "inet"
	case KBytes:
		return fmt.Sprintf("uint8[%d]", t.Size)
	case KStruct:
		return "struct " + t.Struct.TypeName()
	case KTime:
		return "timestamp"
	case KMac:
		return "macaddr"
	case KBuf:
		return fmt.Sprintf("buffer[%d]", t.Bits)
	case KUser:
		return "username"
	case KErrno:
		return "strerror"
	case KCgroupPath:
		return "cgroup_path"
	case KTuple:
		parts := make([]string, len(t.Elems))
		for i, e := range t.Elems {
			parts[i] = e.String()
		}
		return "(" + strings.Join(parts, ", ") + ")"
	}
	return "none"
}

// Aggregations a map can hold; "int" and "str" are plain assignments.
const (
	AggCount = "count"
	AggSum   = "sum"
	AggAvg   = "avg"
	AggMin   = "min"
	AggMax   = "max"
	AggStats = "stats"
	AggHist  = "hist"
	AggLhist = "lhist"
	AggInt   = "int"
	AggStr   = "str"
	// AggVal holds a value printed by name: ksym(), usym(), ntop(),
	// kstack, ustack, as Value's kind says.
	AggVal = "val"
)

// MapInfo is what the compiler decided about one @map.
type MapInfo struct {
	Name      string // without @; "" for @
	ID        int
	Keys      []Type // empty for a scalar map
	Agg       string
	Value     Type // for AggInt / AggStr
	LhistMin  int64
	LhistMax  int64
	LhistStep int64
	// Deleted: delete(@name) of this scalar map appears somewhere. A
	// program can clear a per-CPU array's element on its own CPU only,
	// so such a map stays a hash.
	Deleted bool
}

// KeySize is the BPF key size: keys packed in order, plus a histogram
// slot; a scalar map has one zero key, a u32 index when it is an array.
func (m *MapInfo) KeySize() int {
	if m.IsArray() {
		return 4
	}
	n := 0
	for _, k := range m.Keys {
		n += k.Size
	}
	if m.Agg == AggHist || m.Agg == AggLhist {
		n += 8
	}
	if n == 0 {
		n = 8
	}
	return n
}

// ValueSize is the BPF value size.
func (m *MapInfo) ValueSize() int {
	switch m.Agg {
	case AggAvg, AggStats, AggMin, AggMax:
		return 16 // {value or sum, count or "set"}
	case AggStr, AggVal:
		return m.Value.Size
	}
	return 8
}

// PerCPU reports whether the map is per-CPU (aggregations, summed by user
// space) rather than shared (assignments).
func (m *MapInfo) PerCPU() bool { return m.Agg != AggInt && m.Agg != AggStr && m.Agg != AggVal }

// IsArray reports whether the map is a one-element per-CPU array: a
// key-less count, sum, avg, min, max or stats. Its lookup is an index
// the kernel inlines, with no hashing and no element to create, which
// is what bpftrace uses too. Its element always exists; user space
// treats an all-zero value as no element unless zero() kept it.
func (m *MapInfo) IsArray() bool {
	return len(m.Keys) == 0 && m.PerCPU() && m.Agg != AggHist && m.Agg != AggLhist && !m.Deleted
}

// aggName says what a map holds in words: "count()", "int64", "string[16]".
func aggName(m *MapInfo) string {
	switch m.Agg {
	case AggInt, AggStr, AggVal:
		if m.Value.Kind == KNone {
			return "int64"
		}
		return m.Value.String()
	}
	return m.Agg + "()"
}

// Display is "@name" as bpftrace prints it.
func (m *MapInfo) Display() string { return "@" + m.Name }
