package fsslower

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/livetest"
)

func TestMain(m *testing.M) { livetest.Main(m) }

// TestLiveHooks: ext4slower needs fentry or kprobes on ext4's functions.
// Where the kernel has neither (the development machine), it ends at once
// with one line saying so and status 1; where it has one and ext4's
// functions, it attaches, says which, and ends cleanly on Ctrl-C.
func TestLiveHooks(t *testing.T) {
	livetest.Require(t)
	tool := livetest.Start(t, alias("ext4"), "-v")
	noHooks := attach.Running.Supports(attach.Fentry) != nil && attach.Running.Supports(attach.Kprobe) != nil
	if noHooks {
		status, exited := tool.Exited(20 * time.Second)
		var errs []string
		for _, l := range tool.Stderr() {
			if !strings.HasPrefix(l, "ext4slower: kernel BTF") {
				errs = append(errs, l)
			}
		}
		if !exited || status != 1 || len(errs) != 1 || !strings.Contains(errs[0], "no way to hook ext4 operations") || !strings.Contains(errs[0], "kprobes") {
			t.Fatalf("exited %v status %d, stderr %q: want status 1 and one line naming what is missing", exited, status, tool.Stderr())
		}
		if len(tool.Stdout()) != 0 {
			t.Errorf("stdout %q", tool.Stdout())
		}
		return
	}
	kallsyms, _ := os.ReadFile("/proc/kallsyms")
	if !strings.Contains(string(kallsyms), " ext4_file_read_iter") {
		status, exited := tool.Exited(20 * time.Second)
		if !exited || status != 1 {
			t.Fatalf("no ext4 in this kernel: exited %v status %d %q", exited, status, tool.Stderr())
		}
		return
	}
	if _, ok := tool.WaitStderr(t, 30*time.Second, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("did not start: %q", tool.Stderr())
	}
	if !strings.Contains(strings.Join(tool.Stderr(), "\n"), "ext4_file_read_iter") {
		t.Errorf("-v does not name the functions: %q", tool.Stderr())
	}
	if status := tool.Stop(); status != 0 {
		t.Fatalf("status %d: %q", status, tool.Stderr())
	}
	if out := tool.Stdout(); len(out) == 0 || out[0] != "Tracing ext4 operations slower than 10 ms... Hit Ctrl-C to end." {
		t.Errorf("stdout %q", out)
	}
}
