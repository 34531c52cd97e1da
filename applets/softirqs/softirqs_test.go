package softirqs

import (
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/softirqs"
	"github.com/probebox/probebox/core/irqstat"
	"github.com/probebox/probebox/core/livetest"
)

const wait = 30 * time.Second

// TestLayout: the shared decoder's struct is the BPF one.
func TestLayout(t *testing.T) {
	var b bpfobj.SoftirqsIrqStat
	var r irqstat.Raw
	if unsafe.Sizeof(b) != unsafe.Sizeof(r) || unsafe.Offsetof(b.Slots) != unsafe.Offsetof(r.Slots) || len(b.Slots) != len(r.Slots) {
		t.Fatalf("struct irq_stat: BPF %d bytes, slots at %d (%d); decoder %d bytes, slots at %d (%d)",
			unsafe.Sizeof(b), unsafe.Offsetof(b.Slots), len(b.Slots), unsafe.Sizeof(r), unsafe.Offsetof(r.Slots), len(r.Slots))
	}
}

func TestVecOrder(t *testing.T) {
	if irqstat.VecOrder("timer", "net_rx") >= 0 || irqstat.VecOrder("rcu", "hi") <= 0 || irqstat.VecName(12) != "vec12" {
		t.Error("vector order is not the kernel's")
	}
}

// TestUsage: bad values exit 2 before anything is loaded.
func TestUsage(t *testing.T) {
	for _, args := range [][]string{
		{"-C", "-d"}, {"-c", "-1"}, {"-c", "100000"}, {"-c", "x"}, {"0"}, {"1", "0"}, {"1", "2", "3"},
	} {
		tool := livetest.Start(t, Applet, args...)
		status, exited := tool.Exited(wait)
		if !exited || status != 2 || len(tool.Stderr()) < 1 {
			t.Errorf("%q: exited %v status %d stderr %q, want 2 and a message", args, exited, status, tool.Stderr())
		}
	}
}

func TestHelp(t *testing.T) {
	var b strings.Builder
	Applet.WriteHelp(&b)
	for _, want := range []string{"-C, --count", "-d, --dist", "-N, --nanoseconds", "-c, --cpu CPU", "Examples:", "softirqs 1 10"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, b.String())
		}
	}
}
