package trace

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/livetest"
)

// TestLiveForLoop: for ($kv : @map) (bpftrace 0.20+, which Debian's
// 0.17 lacks: the output is checked as written) over int, count (summed
// over CPUs), string and multi-key maps; the body reads and writes the
// probe's variables, reads args, and takes break, continue and return.
func TestLiveForLoop(t *testing.T) {
	livetest.Require(t)
	pid := os.Getpid()
	program := fmt.Sprintf(`BEGIN { @a[1] = 10; @a[5] = 20; @c[1, "k"] = count(); @c[1, "k"] = count(); @s["a"] = "b"; @s["c"] = "d";
	$tot = 0; $n = 0; for ($kv : @a) { $tot += $kv.0 * $kv.1; $n++; } printf("tot %%d n %%d\n", $tot, $n);
	for ($e : @c) { print($e); }
	for ($e : @s) { if ($e.1 != "d") { continue; } printf("found %%s\n", $e.0); break; } }
tracepoint:syscalls:sys_enter_getppid /pid == %d/ { $nr = 0; for ($kv : @a) { $nr = args->__syscall_nr; if ($kv.0 == 5 || $kv.0 == 1) { return; } } printf("not reached %%d\n", $nr); }
tracepoint:syscalls:sys_enter_getpgid /pid == %d && args->pid == %d/ { exit(); }`, pid, pid, exitTrigger)
	tool := startTrace(t, program)
	syscall.Getppid()
	syscall.Getpgid(exitTrigger)
	if status, exited := tool.Exited(wait); !exited || status != 0 {
		t.Fatalf("trace: exited %v, status %d, stderr %q", exited, status, tool.Stderr())
	}
	out := strings.Join(tool.Stdout(), "\n") + "\n"
	for _, want := range []string{"\ntot 110 n 2\n", "\n((1, k), 2)\n", "\nfound c\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if strings.Contains(out, "not reached") {
		t.Errorf("return in a for loop did not end the probe:\n%s", out)
	}
}

// TestLivePerCPUSum: a count() map read in the program is its count on
// every CPU (bpftrace 0.21+), not the CPU the probe runs on: calls made
// from threads pinned to each CPU in turn reach the total only summed.
func TestLivePerCPUSum(t *testing.T) {
	livetest.Require(t)
	ncpu := runtime.NumCPU()
	const perCPU = 50
	total := perCPU * ncpu
	pid := os.Getpid()
	program := fmt.Sprintf(`tracepoint:syscalls:sys_enter_getppid /pid == %d/ { @c = count(); @s[1] = sum(2); if (@c == %d) { printf("all %%d %%d\n", @c, @s[1]); } }`, pid, total)
	tool := startTrace(t, program)
	var wg sync.WaitGroup
	for cpu := range ncpu {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			var set unix.CPUSet
			set.Set(cpu)
			if err := unix.SchedSetaffinity(0, &set); err != nil {
				t.Errorf("pinning to CPU %d: %v", cpu, err)
				return
			}
			for range perCPU {
				syscall.Getppid()
			}
		}()
	}
	wg.Wait()
	want := fmt.Sprintf("all %d %d", total, 2*total)
	if _, ok := tool.WaitStdout(t, wait, func(l string) bool { return l == want }); !ok {
		t.Errorf("no %q; output:\n%s", want, stopAndOutput(t, tool))
	}
}
