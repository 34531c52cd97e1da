package stackcount

import (
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/stackcount"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/stacks"
)

func TestLayout(t *testing.T) {
	var k bpfobj.StackcountPbStackKey
	if size := unsafe.Sizeof(k); size != stacks.KeySize {
		t.Errorf("key is %d bytes, decoder assumes %d", size, stacks.KeySize)
	}
	if off := unsafe.Offsetof(k.Comm); off != 16 {
		t.Errorf("comm at %d, decoder assumes 16", off)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{
		{}, {"a", "b"}, {"x:a:b"}, {"-K", "-U", "t:sched:sched_switch"}, {"-i", "0", "t:sched:sched_switch"},
		{"-D", "0", "t:sched:sched_switch"}, {"-p", "0", "c:malloc"}, {"-f", "--json", "t:sched:sched_switch"},
		{"t:nosuchgroup:nosuchevent"}, {"u:/nonexistent/bin:f"}, {"-r", "t:sched:(", "t:x:y"},
	} {
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
	for _, want := range []string{"-p, --pid PID", "-i, --interval", "-D, --duration", "-s, --offset", "-P, --perpid", "-K, --kernel-stacks-only",
		"-U, --user-stacks-only", "-d, --delimited", "-f, --folded", "-r, --regexp", "Examples:", "stackcount -p 185 c:malloc", "pattern"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, b.String())
		}
	}
}
