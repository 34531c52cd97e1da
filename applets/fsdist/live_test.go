package fsdist

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/livetest"
)

func TestMain(m *testing.M) { livetest.Main(m) }

func init() {
	livetest.HelperVerb("fsops", func(args []string) int {
		if err := livetest.FSOps(args[0]); err != nil {
			return 1
		}
		return 0
	})
}

// TestLiveHooks: ext4dist needs fentry or kprobes on ext4's functions.
// Where the kernel has neither (the development machine), it ends at once
// with one line saying so and status 1. Where it has one and ext4's
// functions, it attaches and says which; a helper then makes a known set
// of file calls (livetest.FSOps) on an ext4 file system the test makes on
// a loop device, and ext4dist -p counts exactly those, per operation, in
// the histograms it prints on Ctrl-C.
func TestLiveHooks(t *testing.T) {
	livetest.Require(t)
	noHooks := attach.Running.Supports(attach.Fentry) != nil && attach.Running.Supports(attach.Kprobe) != nil
	if noHooks {
		tool := livetest.Start(t, alias("ext4"), "-v", "1")
		status, exited := tool.Exited(20 * time.Second)
		var errs []string
		for _, l := range tool.Stderr() {
			if !strings.HasPrefix(l, "ext4dist: kernel BTF") {
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
		tool := livetest.Start(t, alias("ext4"), "-v", "1")
		status, exited := tool.Exited(20 * time.Second)
		if !exited || status != 1 {
			t.Fatalf("no ext4 in this kernel: exited %v status %d %q", exited, status, tool.Stderr())
		}
		return
	}
	began := time.Now()
	mnt := livetest.Ext4(t)
	cmd, release := livetest.StartWaiting(t, "pbxext4", "fsops", mnt)
	tool := livetest.Start(t, alias("ext4"), "-v", "-p", strconv.Itoa(cmd.Process.Pid))
	if _, ok := tool.WaitStderr(t, time.Minute, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("did not start: %q", tool.Stderr())
	}
	// Under emulation attaching is slow (6.12: minutes): say how slow.
	t.Logf("ext4 mounted and the tool attached after %v", time.Since(began).Round(time.Millisecond))
	if !strings.Contains(strings.Join(tool.Stderr(), "\n"), "ext4_file_read_iter") {
		t.Errorf("-v does not name the functions: %q", tool.Stderr())
	}
	if err := release(); err != nil {
		t.Fatalf("helper: %v", err)
	}
	stopping := time.Now()
	if status := tool.Stop(); status != 0 {
		t.Fatalf("status %d: %q", status, tool.Stderr())
	}
	t.Logf("the tool ended %v after Ctrl-C", time.Since(stopping).Round(time.Millisecond))
	out := tool.Stdout()
	if len(out) == 0 || out[0] != "Tracing ext4 operation latency... Hit Ctrl-C to end." {
		t.Errorf("stdout %q", out)
	}
	got := histogramCounts(out)
	for op, n := range map[string]uint64{"read": 3, "write": 4, "open": 2, "fsync": 2} {
		if got[op] != n {
			t.Errorf("%s: %d in the histogram, the helper made %d (all: %v)\n%s", op, got[op], n, got, strings.Join(out, "\n"))
		}
	}
}

// histogramCounts sums each "operation = 'OP'" histogram's counts.
func histogramCounts(lines []string) map[string]uint64 {
	got := map[string]uint64{}
	op := ""
	for _, l := range lines {
		if name, ok := strings.CutPrefix(l, "operation = '"); ok {
			op = strings.TrimSuffix(name, "'")
			continue
		}
		// "         8 -> 15         : 2        |****      |"
		_, rest, ok := strings.Cut(l, ":")
		if op == "" || !ok || !strings.Contains(l, "->") {
			continue
		}
		if f := strings.Fields(rest); len(f) > 0 {
			n, _ := strconv.ParseUint(f[0], 10, 64)
			got[op] += n
		}
	}
	return got
}
