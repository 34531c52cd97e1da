package memleak

import (
	"debug/elf"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/unwind"
	"github.com/probebox/probebox/core/unwind/unwindtest"
)

// TestLiveUnwind: the unwinder's test program (built without frame
// pointers) sorts with libc's qsort, whose merge sort mallocs a buffer
// that is outstanding while the comparator runs. With the .eh_frame walk
// its stack runs qsort_r;main up to libc's start code; the frame-pointer
// walk (bcc's, --unwind=fp) loses the frames above main.
func TestLiveUnwind(t *testing.T) {
	livetest.Require(t)
	if !unwind.Walks() {
		// No walker rules for this architecture: eh_frame is refused.
		tl := livetest.Start(t, Applet, "--unwind=eh_frame", "-p", strconv.Itoa(os.Getpid()), "1", "1")
		status, ok := tl.Exited(wait)
		if !ok || status != 1 || len(tl.Stderr()) != 1 || !strings.Contains(tl.Stderr()[0], "--unwind=eh_frame") {
			t.Errorf("--unwind=eh_frame on %s: status %d, %q; want one line and status 1", runtime.GOARCH, status, tl.Stderr())
		}
		return
	}
	exe := unwindtest.Program(t)
	cmd := exec.Command(exe)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	pid := strconv.Itoa(cmd.Process.Pid)
	args := []string{"-p", pid}
	if static(t, exe) {
		// The embedded build (no gcc: the kernel matrix's guests) is
		// static: its allocator is in the program itself.
		args = append(args, "-O", exe)
	} else {
		waitMapsLibc(t, cmd.Process.Pid)
	}
	eh := start(t, append(args, "1")...)
	fp := start(t, append(args, "--unwind=fp", "1")...)
	for _, c := range []struct {
		name  string
		tool  *livetest.Tool
		whole bool
	}{{"eh_frame", eh, true}, {"fp", fp, false}} {
		_, _, stack, _ := findStack(t, c.tool, "qsort_r", 1)
		var names []string
		for _, f := range stack {
			name, _, _ := strings.Cut(f, "+")
			names = append(names, name)
		}
		whole := strings.Contains(strings.Join(names, ";"), "qsort_r;main;__libc_start_call_main")
		if whole != c.whole {
			t.Errorf("%s: the stack of qsort's buffer is %q; want it whole to libc's start code: %v", c.name, stack, c.whole)
		}
		if status := c.tool.Stop(); status != 0 {
			t.Fatalf("%s: status %d: %q", c.name, status, c.tool.Stderr())
		}
	}
	// qsort is libc's, or the static program's own.
	lib := "libc"
	if static(t, exe) {
		lib = exe
	}
	tables := false
	for _, l := range eh.Stderr() {
		if strings.Contains(l, "unwind table") && strings.Contains(l, lib) {
			tables = true
		}
	}
	if !tables {
		t.Errorf("-v does not say that %s got an unwind table: %q", lib, eh.Stderr())
	}
}

// static says whether the ELF file at path has no program interpreter.
func static(t *testing.T, path string) bool {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return false
		}
	}
	return true
}

// waitMapsLibc waits until the loader has mapped libc into pid, which
// memleak -p probes (started at once, it raced the loader on a busy host:
// "maps no libc").
func waitMapsLibc(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(livetest.Scaled(10 * time.Second))
	for time.Now().Before(deadline) {
		if maps, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/maps"); strings.Contains(string(maps), "/libc.so") {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("process %d mapped no libc in time", pid)
}
