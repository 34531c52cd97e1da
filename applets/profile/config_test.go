package profile

import (
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/profile"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/stacks"
	"github.com/probebox/probebox/core/unwind"
)

// TestLayout: core/stacks decodes the counts map's key as the bpf2go type
// lays it out.
func TestLayout(t *testing.T) {
	var k bpfobj.ProfilePbStackKey
	if size := unsafe.Sizeof(k); size != stacks.KeySize {
		t.Errorf("key is %d bytes, decoder assumes %d", size, stacks.KeySize)
	}
	if off := unsafe.Offsetof(k.Comm); off != 16 {
		t.Errorf("comm at %d, decoder assumes 16", off)
	}
	if off := unsafe.Offsetof(k.KernelStackId); off != 12 {
		t.Errorf("kernel_stack_id at %d, decoder assumes 12", off)
	}
	// core/unwind writes struct pb_unwind_proc by hand.
	var p bpfobj.ProfilePbUnwindProc
	if size, want := unsafe.Sizeof(p), uintptr(unwind.ProcSize); size != want {
		t.Errorf("pb_unwind_proc is %d bytes, core/unwind writes %d", size, want)
	}
	if off := uintptr(unsafe.Pointer(&p.M[1].Rows)) - uintptr(unsafe.Pointer(&p)); off != 16+32+28 {
		t.Errorf("pb_unwind_proc.m[1].rows at %d, core/unwind writes %d", off, 16+32+28)
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
	{"-U", "-K"}, {"-F", "0"}, {"-F", "100000"}, {"-F", "99", "-c", "100000"}, {"-c", "10"},
	{"-p", "0"}, {"-L", "-1"}, {"--stack-storage-size", "0"}, {"-f", "--json"},
	{"--svg", "/nonexistent-dir/x.svg"}, {"--unwind", "dwarf"}, {"--pprof", "/"}, {"0"}, {"x"}, {"1", "2"},
}

var helpWants = []string{"--unwind MODE", "-F, --frequency HZ", "-c, --count COUNT", "-p, --pid PID", "-L, --tid TID", "-U, --user-stacks-only", "-K, --kernel-stacks-only",
	"-d, --delimited", "-a, --annotations", "-f, --folded", "--stack-storage-size", "-C, --cpu", "--pprof", "--svg", "Examples:", "duration"}
