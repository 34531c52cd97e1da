package fsslower

import (
	"fmt"
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

// TestLiveHooks: ext4slower needs fentry or kprobes on ext4's functions.
// Where the kernel has neither (the development machine), it ends at once
// with one line saying so and status 1. Where it has one and ext4's
// functions, it attaches and says which; a helper then makes a known set
// of file calls (livetest.FSOps) on an ext4 file system the test makes on
// a loop device, and ext4slower -m 0 -p shows each of them, with the
// helper's comm and PID, the file's name, and the writes' sizes and
// offsets.
func TestLiveHooks(t *testing.T) {
	livetest.Require(t)
	noHooks := attach.Running.Supports(attach.Fentry) != nil && attach.Running.Supports(attach.Kprobe) != nil
	if noHooks {
		tool := livetest.Start(t, alias("ext4"), "-v")
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
		tool := livetest.Start(t, alias("ext4"), "-v")
		status, exited := tool.Exited(20 * time.Second)
		if !exited || status != 1 {
			t.Fatalf("no ext4 in this kernel: exited %v status %d %q", exited, status, tool.Stderr())
		}
		return
	}
	began := time.Now()
	mnt := livetest.Ext4(t)
	cmd, release := livetest.StartWaiting(t, "pbxext4", "fsops", mnt)
	pid := strconv.Itoa(cmd.Process.Pid)
	tool := livetest.Start(t, alias("ext4"), "-v", "-m", "0", "-p", pid)
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
	// The helper's last fsync, its 11th operation, ends the wait.
	want := map[string]int{"R": 3, "W": 4, "O": 2, "F": 2}
	got := map[string]int{}
	var writes []string
	tool.WaitStdout(t, 10*time.Second, func(l string) bool {
		// TIME COMM PID T BYTES OFF_KB LAT(ms) FILENAME
		f := strings.Fields(l)
		if len(f) != 8 || f[2] != pid {
			return false
		}
		if f[1] != "pbxext4" || f[7] != "pbx-fsops" {
			t.Errorf("line %q: want COMM pbxext4, FILENAME pbx-fsops", l)
		}
		got[f[3]]++
		if f[3] == "W" {
			writes = append(writes, f[4]+"@"+f[5])
		}
		return fmt.Sprint(got) == fmt.Sprint(want)
	})
	stopping := time.Now()
	if status := tool.Stop(); status != 0 {
		t.Fatalf("status %d: %q", status, tool.Stderr())
	}
	t.Logf("the tool ended %v after Ctrl-C", time.Since(stopping).Round(time.Millisecond))
	out := tool.Stdout()
	if len(out) < 2 || out[0] != "Tracing ext4 operations... Hit Ctrl-C to end." || out[1] != strings.TrimSuffix(headerLine, "\n") {
		t.Errorf("header %q", out)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("operations by type %v; the helper made %v\n%s", got, want, strings.Join(out, "\n"))
	}
	// Four 4 KiB writes, one after the other (OFF_KB).
	if w := strings.Join(writes, " "); w != "4096@0 4096@4 4096@8 4096@12" {
		t.Errorf("writes (BYTES@OFF_KB) %q; want 4096@0 4096@4 4096@8 4096@12", w)
	}
}
