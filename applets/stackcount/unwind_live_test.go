package stackcount

import (
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/stacks"
	"github.com/probebox/probebox/core/unwind"
	"github.com/probebox/probebox/core/unwind/unwindtest"
)

// TestLiveUnwind: a uprobe on the comparator qsort calls in a program
// built without frame pointers. With the .eh_frame walk (tables loaded
// in the background on the first event, no -p) the stacks run
// main;…;qsort…;cmp_hot; with --unwind=fp (bcc's walk) none reaches main
// (and on arm64 many are missed, and reported as lost).
func TestLiveUnwind(t *testing.T) {
	livetest.Require(t)
	if !unwind.Walks() {
		// No walker rules for this architecture: eh_frame is refused.
		tl := livetest.Start(t, Applet, "--unwind=eh_frame", "-U", "t:sched:sched_process_exec")
		status, ok := tl.Exited(30 * time.Second)
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
	probe := "u:" + exe + ":cmp_hot"
	eh := livetest.Start(t, Applet, "-U", "-f", "-v", "-D", "2", probe)
	fp := livetest.Start(t, Applet, "-U", "-f", "--unwind=fp", "-v", "-D", "2", probe)
	for _, c := range []struct {
		name  string
		tl    *livetest.Tool
		whole bool
	}{{"eh_frame", eh, true}, {"fp", fp, false}} {
		status, ok := c.tl.Exited(30 * time.Second)
		if !ok || status != 0 {
			t.Fatalf("%s: ended %v status %d: %q", c.name, ok, status, c.tl.Stderr())
		}
		var whole, total uint64
		for _, l := range c.tl.Stdout() {
			i := strings.LastIndexByte(l, ' ')
			n, err := strconv.ParseUint(l[i+1:], 10, 64)
			if i < 0 || err != nil {
				t.Fatalf("%s: not a folded line: %q", c.name, l)
			}
			frames := strings.Split(l[:i], ";")[1:] // the process name first
			total += n
			if !c.whole && frames[len(frames)-1] == stacks.MissedUser && reportsLostStacks(c.tl.Stderr()) {
				// arm64: the kernel's frame-pointer walk through code
				// without frame pointers follows whatever x29 holds, and
				// the stack map refused those chains (all of them in the
				// 6.1 guest): missed, and said so.
				continue
			}
			for j, f := range frames {
				// -v (bcc's) puts each frame's address before its name.
				if _, name, ok := strings.Cut(f, " "); ok {
					frames[j] = name
				}
			}
			if frames[len(frames)-1] != "cmp_hot" {
				t.Errorf("%s: a stack not ending in the probed cmp_hot: %q; stderr %q", c.name, l, c.tl.Stderr())
			}
			if unwindtest.ThroughQsort(frames, "cmp_hot") {
				whole += n
			}
			if !c.whole && unwindtest.ReachesMain(frames) && unwindtest.FPTruncates {
				t.Errorf("fp: a frame-pointer walk through code without frame pointers reached main: %q", l)
			}
		}
		if total < 100 {
			t.Fatalf("%s: %d calls of cmp_hot counted:\n%s\nstderr: %q", c.name, total, strings.Join(c.tl.Stdout(), "\n"), c.tl.Stderr())
		}
		// Calls before the tables loaded (the first fraction of a
		// second) walk frame pointers; the rest must be whole.
		if c.whole && whole*2 < total {
			t.Errorf("eh_frame: %d of %d stacks run main;…;qsort…;cmp_hot:\n%s\nstderr: %q", whole, total, strings.Join(c.tl.Stdout(), "\n"), c.tl.Stderr())
		}
	}
	tables := false
	for _, l := range eh.Stderr() {
		if strings.Contains(l, "unwind table") && strings.Contains(l, exe) {
			tables = true
		}
	}
	if !tables {
		t.Errorf("-v does not say that %s got an unwind table: %q", exe, eh.Stderr())
	}
}

// reportsLostStacks: stderr says that stack traces could not be stored.
func reportsLostStacks(stderr []string) bool {
	for _, l := range stderr {
		if strings.Contains(l, "stack traces could not be stored") {
			return true
		}
	}
	return false
}
