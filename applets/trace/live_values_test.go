package trace

import (
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestLiveMapValuesSameAsBpftrace: ksym() and ntop() values stored in
// maps print by name, at exit and through printf, as under bpftrace.
func TestLiveMapValuesSameAsBpftrace(t *testing.T) {
	sameAsBpftrace(t, `BEGIN { @k = ksym(kaddr("vfs_read")); @n = ntop(0x0100007f); @m[1] = ntop(0x0200007f); printf("%s %s\n", @k, @n); exit(); }`)
}

// TestLiveStackValue: a kstack stored as a map value prints its frames.
func TestLiveStackValue(t *testing.T) {
	tool := startTrace(t, `tracepoint:sched:sched_process_exit { @s = kstack; }`)
	exec.Command("/bin/true").Run()
	time.Sleep(200 * time.Millisecond)
	out := stopAndOutput(t, tool)
	if !strings.Contains(out, "\n@s: \n        ") || !strings.Contains(out, "do_exit+") {
		t.Errorf("no kernel stack with do_exit as @s's value in\n%s", out)
	}
}

// TestLiveUaddr: *uaddr("var") reads a global of the traced program,
// from user memory, typed by the symbol's size (int64 here): the target
// sets its counter to 1000+i before its i-th call.
func TestLiveUaddr(t *testing.T) {
	bin := buildTarget(t)
	tool := startTrace(t, `uprobe:`+bin+`:main.probeboxTraced { @[*uaddr("main.probeboxCounter")] = count(); }`)
	if err := exec.Command(bin, "3").Run(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	out := stopAndOutput(t, tool)
	for _, want := range []string{"\n@[1000]: 1\n", "\n@[1001]: 1\n", "\n@[1002]: 1\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
}
