package trace

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/livetest"
)

const countSyscalls = `tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }`

// --max-cpu 1 under a syscall flood (a helper process making read()s):
// trace detaches within 3 s of attaching, says what it measured, prints
// the map it has, exits with status 3, and none of its programs is left in
// the kernel's program list.
func TestLiveMaxCPUStops(t *testing.T) {
	livetest.Require(t)
	flood := livetest.Helper(t, "pbx-flood", "read", "1", "100000000")
	if err := flood.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { flood.Process.Kill(); flood.Wait() })
	tool := livetest.Start(t, Applet, "--max-cpu", "1", "-e", countSyscalls)
	if _, ok := tool.WaitStdout(t, wait, func(l string) bool { return strings.HasPrefix(l, "Attaching") }); !ok {
		t.Fatalf("not attached: %q", tool.Stderr())
	}
	attached := time.Now()
	progs := ownPrograms(t)
	// The line is said once every link is closed.
	_, said := tool.WaitStderr(t, 10*time.Second, func(l string) bool { return strings.Contains(l, "detached, stopping") })
	if took := time.Since(attached); !said || took > 3*time.Second {
		t.Fatalf("still attached %v after attaching under a flood (said so: %v)", took.Round(time.Millisecond), said)
	}
	status, exited := tool.Exited(10 * time.Second)
	if !exited {
		t.Fatal("detached but did not exit")
	}
	if status != applet.ExitMaxCPU {
		t.Errorf("status %d, want %d; stderr %q", status, applet.ExitMaxCPU, tool.Stderr())
	}
	stderr := tool.Stderr()
	if len(stderr) != 1 || !strings.Contains(stderr[0], "--max-cpu 1: used ") || !strings.Contains(stderr[0], "over the limit of 1%; detached") {
		t.Errorf("stderr %q: want one line with the measure and the limit", stderr)
	}
	if n := mapCount(tool.Stdout(), "@[pbx-flood]: "); n < 1000 {
		t.Errorf("the map's count for the flood is %d; stdout:\n%s", n, strings.Join(tool.Stdout(), "\n"))
	}
	// The kernel frees a program once its last reference goes (after an
	// RCU grace period): allow it a moment.
	for deadline := time.Now().Add(3 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		left := stillLoaded(t, progs)
		if len(left) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("programs %v still in the kernel after exit", left)
		}
	}
}

// --max-cpu 50 with a light load keeps tracing, and ends normally.
func TestLiveMaxCPUKeepsRunning(t *testing.T) {
	livetest.Require(t)
	tool := livetest.Start(t, Applet, "--max-cpu", "50", "-e", `tracepoint:syscalls:sys_enter_getppid { @[comm] = count(); }`)
	if _, ok := tool.WaitStdout(t, wait, func(l string) bool { return strings.HasPrefix(l, "Attaching") }); !ok {
		t.Fatalf("not attached: %q", tool.Stderr())
	}
	for i := 0; i < 30; i++ {
		os.Getppid()
		time.Sleep(100 * time.Millisecond)
	}
	if status, exited := tool.Exited(0); exited {
		t.Fatalf("stopped under a light load: status %d, stderr %q", status, tool.Stderr())
	}
	if status := tool.Stop(); status != 0 || len(tool.Stderr()) != 0 {
		t.Errorf("status %d, stderr %q; want 0 and nothing", status, tool.Stderr())
	}
	comm, _ := os.ReadFile("/proc/self/comm") // trace.test, or pkg.test in the kernel matrix
	if n := mapCount(tool.Stdout(), "@["+strings.TrimSpace(string(comm))+"]: "); n < 30 {
		t.Errorf("getppid count %d, want at least 30:\n%s", n, strings.Join(tool.Stdout(), "\n"))
	}
}

func mapCount(lines []string, prefix string) int {
	for _, l := range lines {
		if v, ok := strings.CutPrefix(l, prefix); ok {
			n, _ := strconv.Atoi(v)
			return n
		}
	}
	return 0
}

// ownPrograms lists the IDs of the BPF programs this process holds.
func ownPrograms(t *testing.T) []ebpf.ProgramID {
	t.Helper()
	var ids []ebpf.ProgramID
	ents, _ := os.ReadDir("/proc/self/fdinfo")
	for _, e := range ents {
		f, err := os.Open(filepath.Join("/proc/self/fdinfo", e.Name()))
		if err != nil {
			continue
		}
		s := bufio.NewScanner(f)
		for s.Scan() {
			if v, ok := strings.CutPrefix(s.Text(), "prog_id:"); ok {
				if id, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
					ids = append(ids, ebpf.ProgramID(id))
				}
			}
		}
		f.Close()
	}
	if len(ids) == 0 {
		t.Fatal("no BPF program held while tracing")
	}
	return ids
}

// stillLoaded returns those of ids the kernel's program list still has.
func stillLoaded(t *testing.T, ids []ebpf.ProgramID) []ebpf.ProgramID {
	t.Helper()
	var left []ebpf.ProgramID
	for id := ebpf.ProgramID(0); ; {
		next, err := ebpf.ProgramGetNextID(id)
		if errors.Is(err, os.ErrNotExist) {
			return left
		} else if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(ids, next) {
			left = append(left, next)
		}
		id = next
	}
}
