package trace

import (
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
)

// TestLiveStackModesSameAsBpftrace: kstack in bpftrace and perf modes,
// with and without a frame limit, as map keys (also in a tuple) and
// values, from the test's own getppid(2) calls: the same kernel stacks
// under both tracers.
func TestLiveStackModesSameAsBpftrace(t *testing.T) {
	program := fmt.Sprintf(`tracepoint:syscalls:sys_enter_getppid /pid == %d/ {
	@k[kstack(perf, 3)] = count(); @b[kstack(2)] = count(); @t[kstack(bpftrace, 1), 7] = count(); @d[kstack] = count();
	@s = kstack; @v = kstack(perf); }`, os.Getpid())
	ours, theirs := bothSee(t, program, func() {
		for range 3 {
			syscall.Getppid()
		}
	})
	for _, want := range []string{"@k[\n\tffffffff", "@b[\n    ", "]: 3\n", "@s: \n        ", "@v: \n\tffffffff"} {
		if !strings.Contains(ours, want) {
			t.Errorf("no %q in\n%s", want, ours)
		}
	}
	// The limit: kstack(perf, 3) keeps three frames.
	if k, _, ok := strings.Cut(ours[strings.Index(ours, "@k[")+1:], "]: 3"); !ok || strings.Count(k, "\n\t") != 3 {
		t.Errorf("@k's key is not three frames: %q", k)
	}
	if ours != theirs {
		t.Errorf("probebox trace:\n%s\nbpftrace:\n%s", ours, theirs)
	}
}
