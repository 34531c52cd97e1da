package attach

import (
	"fmt"
	"strings"
)

// Kind is a kind of kernel hook.
type Kind int

const (
	TPBTF         Kind = iota // BTF-typed raw tracepoint (tp_btf)
	Fentry                    // fentry on a kernel function
	Fexit                     // fexit on a kernel function
	RawTracepoint             // raw tracepoint (no tracefs needed)
	Tracepoint                // tracefs tracepoint through perf_event_open
	Kprobe
	Kretprobe
)

var kindNames = [...]string{"tp_btf", "fentry", "fexit", "raw_tracepoint", "tracepoint", "kprobe", "kretprobe"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// ParseKind reads a kind name as PROBEBOX_DISABLE spells it.
func ParseKind(s string) (Kind, bool) {
	for i, n := range kindNames {
		if n == s {
			return Kind(i), true
		}
	}
	if s == "raw_tp" {
		return RawTracepoint, true
	}
	return 0, false
}

// Attachment is one program on one kernel hook.
type Attachment struct {
	Kind    Kind
	Group   string // tracepoint group ("syscalls"); empty otherwise
	Target  string // tracepoint, raw tracepoint or function name
	Program string // program name in the CollectionSpec
	// Optional attachments are skipped when their target is missing
	// (openat2 on kernels that lack it) instead of rejecting the candidate.
	Optional bool
}

func (a Attachment) String() string {
	if a.Group != "" {
		return fmt.Sprintf("%s %s:%s", a.Kind, a.Group, a.Target)
	}
	return fmt.Sprintf("%s %s", a.Kind, a.Target)
}

// Candidate is one way of implementing a hook: one or more attachments that
// are used together.
type Candidate struct {
	Attach []Attachment
	// Limits says what a user loses with this choice ("failed exec()s are
	// not visible"); empty when nothing is lost.
	Limits string
}

func (c Candidate) String() string {
	parts := make([]string, len(c.Attach))
	for i, a := range c.Attach {
		parts[i] = a.String()
	}
	return strings.Join(parts, " + ")
}

// Hook is a point a tool needs to observe, with its candidates in order of
// preference.
type Hook struct {
	Name       string // "exec", "block I/O completion"
	Candidates []Candidate
}
