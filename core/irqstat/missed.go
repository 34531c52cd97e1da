package irqstat

import (
	"fmt"
	"io"

	"github.com/cilium/ebpf"
)

// Missed counts the runs the kernel did not hand to the tool's programs:
// its recursion guard skips a BPF program that fires while another runs
// on the same CPU (on tracefs tracepoints, any BPF program: an interrupt
// arriving while some tool's program runs), and it counts the skips per
// program (recursion_misses, 5.12 and later).
type Missed struct {
	progs []*ebpf.Program
	seen  uint64
}

// NewMissed watches the programs of coll.
func NewMissed(coll *ebpf.Collection) *Missed {
	m := &Missed{}
	for _, p := range coll.Programs {
		m.progs = append(m.progs, p)
	}
	return m
}

// Take returns the misses since the previous call; 0 where the kernel
// does not count them.
func (m *Missed) Take() uint64 {
	var total uint64
	for _, p := range m.progs {
		if st, err := p.Stats(); err == nil {
			total += st.RecursionMisses
		}
	}
	n := total - m.seen
	m.seen = total
	return n
}

// Report says on w what was missed, if anything.
func Report(w io.Writer, tool string, n uint64) {
	if n > 0 {
		fmt.Fprintf(w, "%s: %d handler events missed: the kernel skipped the BPF program while another ran on the same CPU\n", tool, n)
	}
}
