package lang

import "fmt"

// Kind of a value.
type Kind int

const (
	KNone Kind = iota // statements' "value": printf(), exit()...
	KInt
	KStr
	KKstack // a kernel stack id from bpf_get_stackid
	KUstack // a user stack: pid << 32 | stack id
)

// Type of an expression: integers are 64-bit, strings a fixed buffer.
type Type struct {
	Kind Kind
	Size int // bytes: 8 for integers, the buffer for strings
}

var (
	intType  = Type{KInt, 8}
	noneType = Type{KNone, 0}
)

// StrLen is bpftrace's default string buffer (BPFTRACE_STRLEN).
const StrLen = 64

func strType(n int) Type { return Type{KStr, n} }

func (t Type) String() string {
	switch t.Kind {
	case KInt:
		return "int64"
	case KStr:
		return fmt.Sprintf("string[%d]", t.Size)
	case KKstack:
		return "kstack"
	case KUstack:
		return "ustack"
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
}

// KeySize is the BPF key size: keys packed in order, plus a histogram
// slot; a scalar map has one zero u64 key.
func (m *MapInfo) KeySize() int {
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
	case AggStr:
		return m.Value.Size
	}
	return 8
}

// PerCPU reports whether the map is per-CPU (aggregations, summed by user
// space) rather than shared (assignments).
func (m *MapInfo) PerCPU() bool { return m.Agg != AggInt && m.Agg != AggStr }

// Display is "@name" as bpftrace prints it.
func (m *MapInfo) Display() string { return "@" + m.Name }
