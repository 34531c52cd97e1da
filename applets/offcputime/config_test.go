package offcputime

import (
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/offcputime"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/stacks"
)

// TestLayout: core/stacks decodes the counts map's key as the bpf2go type
// lays it out.
func TestLayout(t *testing.T) {
	var k bpfobj.OffcputimePbStackKey
	if size := unsafe.Sizeof(k); size != stacks.KeySize {
		t.Errorf("key is %d bytes, decoder assumes %d", size, stacks.KeySize)
	}
	if off := unsafe.Offsetof(k.Comm); off != 16 {
		t.Errorf("comm at %d, decoder assumes 16", off)
	}
	if off := unsafe.Offsetof(k.KernelStackId); off != 12 {
		t.Errorf("kernel_stack_id at %d, decoder assumes 12", off)
	}
}

// TestUsage: bad values exit 2 with one line, before anything is loaded.
func TestUsage(t *testing.T) {
	for _, args := range usageCases {
		tool := livetest.Start(t, Applet, args...)
		status, exited := tool.Exited(10 * time.Second)
		if !exited || status != 2 {
			t.Errorf("%q: exited %v status %d, want 2 (%q)", args, exited, status, tool.Stderr())
			continue
		}
		if errs := tool.Stderr(); len(errs) != 1 {
			t.Errorf("%q: want one line, got %q", args, errs)
		}
	}
}

func TestHelp(t *testing.T) {
	var b strings.Builder
	Applet.WriteHelp(&b)
	for _, want := range helpWants {
		if !strings.Contains(b.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, b.String())
		}
	}
}

var usageCases = [][]string{
	{"-U", "-K"}, {"-u", "-k"}, {"-m", "100", "-M", "10"}, {"-p", "0"}, {"-t", "-1"},
	{"--stack-storage-size", "0"}, {"-f", "--json"}, {"--svg", "/nonexistent-dir/x.svg"}, {"0"}, {"x"}, {"1", "2"}, {"--unwind", "dwarf"},
}

var helpWants = []string{"--unwind MODE", "-p, --pid PID", "-t, --tid TID", "-u, --user-threads-only", "-k, --kernel-threads-only", "-U, --user-stacks-only",
	"-K, --kernel-stacks-only", "-m, --min-block-time", "-M, --max-block-time", "--state", "-f, --folded", "--stack-storage-size", "Examples:", "duration"}
