package hardirqs

import (
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/hardirqs"
	"github.com/probebox/probebox/core/irqstat"
	"github.com/probebox/probebox/core/livetest"
)

const wait = 30 * time.Second

// TestLayout: the shared decoder's struct and the key are the BPF ones.
func TestLayout(t *testing.T) {
	var b bpfobj.HardirqsIrqStat
	var r irqstat.Raw
	if unsafe.Sizeof(b) != unsafe.Sizeof(r) || unsafe.Offsetof(b.Slots) != unsafe.Offsetof(r.Slots) || len(b.Slots) != len(r.Slots) {
		t.Fatalf("struct irq_stat: BPF %d bytes, decoder %d", unsafe.Sizeof(b), unsafe.Sizeof(r))
	}
	var k bpfobj.HardirqsHardirqKey
	if len(k.Name) != nameLen {
		t.Fatalf("key name %d bytes, decoder assumes %d", len(k.Name), nameLen)
	}
}

// TestUsage: bad values exit 2 before anything is loaded.
func TestUsage(t *testing.T) {
	for _, args := range [][]string{
		{"-C", "-d"}, {"-c", "/nonexistent-cgroup"}, {"0"}, {"x"}, {"1", "0"}, {"1", "2", "3"},
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
	for _, want := range []string{"-C, --count", "-d, --dist", "-N, --nanoseconds", "-c, --cgroup PATH", "Examples:", "hardirqs 1 10"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, b.String())
		}
	}
}
