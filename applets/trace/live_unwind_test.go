package trace

import (
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

// ustacks reads map name's ustack keys (bpftrace mode: a frame a line,
// name+offset) from trace's output: root-first frames and their counts.
func ustacks(t *testing.T, out []string, name string) (stacks [][]string, counts []uint64) {
	t.Helper()
	var frames []string
	in := false
	for _, l := range out {
		switch {
		case l == name+"[":
			in, frames = true, nil
		case in && strings.HasPrefix(l, "]: "):
			n, err := strconv.ParseUint(l[3:], 10, 64)
			if err != nil {
				t.Fatalf("bad count line %q", l)
			}
			root := make([]string, len(frames))
			for i, f := range frames {
				fn, _, _ := strings.Cut(strings.TrimSpace(f), "+")
				root[len(frames)-1-i] = fn
			}
			stacks, counts, in = append(stacks, root), append(counts, n), false
		case in:
			frames = append(frames, l)
		}
	}
	return stacks, counts
}

// TestLiveUstackUnwind: `uprobe:BIN:cmp_hot { @[ustack] = count(); }` on
// the unwinder's test program (built without frame pointers, cmp_hot
// called by libc's qsort). With the .eh_frame walker (--unwind=auto, the
// default) the keys run main;…;qsort…;cmp_hot, and ustack(3) keeps three
// frames; with --unwind=fp (bpftrace's walk) no stack reaches main.
func TestLiveUstackUnwind(t *testing.T) {
	livetest.Require(t)
	if !unwind.Walks() {
		// No walker rules for this architecture: eh_frame is refused.
		tl := livetest.Start(t, Applet, "--unwind=eh_frame", "-e", `BEGIN { exit(); }`)
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
	program := `uprobe:` + exe + `:cmp_hot { @[ustack] = count(); @d[ustack(3)] = count(); } interval:s:2 { exit(); }`
	eh := livetest.Start(t, Applet, "-p", pid, "-e", program)
	fp := livetest.Start(t, Applet, "-p", pid, "--unwind=fp", "-e", program)
	for _, c := range []struct {
		name  string
		tl    *livetest.Tool
		whole bool
	}{{"eh_frame", eh, true}, {"fp", fp, false}} {
		status, ok := c.tl.Exited(wait + 10*time.Second)
		if !ok || status != 0 {
			t.Fatalf("%s: ended %v status %d: %q", c.name, ok, status, c.tl.Stderr())
		}
		stacks, counts := ustacks(t, c.tl.Stdout(), "@")
		var whole, total uint64
		var empty uint64
		for i, s := range stacks {
			if len(s) == 0 && c.whole {
				// A stack the walker's map could not keep (its hash
				// collided with another's) prints empty; trace says so.
				empty += counts[i]
				total += counts[i]
				continue
			}
			if len(s) == 0 && !c.whole {
				// The kernel's frame-pointer walk gave no frame at all:
				// arm64's refuses every user stack from a uprobe here
				// (stackcount's test saw the same); truncated all the
				// same.
				total += counts[i]
				continue
			}
			if len(s) == 0 || s[len(s)-1] != "cmp_hot" {
				t.Errorf("%s: a stack not ending in the probed cmp_hot: %q", c.name, s)
			}
			total += counts[i]
			if unwindtest.ThroughQsort(s, "cmp_hot") {
				whole += counts[i]
			}
			if !c.whole && unwindtest.ReachesMain(s) && unwindtest.FPTruncates {
				t.Errorf("fp: a frame-pointer walk through code without frame pointers reached main: %q", s)
			}
		}
		if empty > 0 && !strings.Contains(strings.Join(c.tl.Stderr(), "\n"), "user stacks not kept") {
			t.Errorf("%s: %d empty stacks, and trace did not report them lost: %q", c.name, empty, c.tl.Stderr())
		}
		if total < 100 {
			t.Fatalf("%s: %d calls of cmp_hot counted:\n%s\nstderr: %q", c.name, total, strings.Join(c.tl.Stdout(), "\n"), c.tl.Stderr())
		}
		// -p's tables load before the probes attach: every stack whole
		// (a stack the walker's map could not keep prints empty).
		if c.whole && whole*10 < total*9 {
			t.Errorf("eh_frame: %d of %d stacks run main;…;qsort…;cmp_hot:\n%s\nstderr: %q", whole, total, strings.Join(c.tl.Stdout(), "\n"), c.tl.Stderr())
		}
		if !c.whole {
			continue
		}
		short, counts := ustacks(t, c.tl.Stdout(), "@d")
		var three uint64
		for i, s := range short {
			if len(s) > 3 {
				t.Errorf("ustack(3): %d frames: %q", len(s), s)
			}
			if len(s) == 3 && s[2] == "cmp_hot" && strings.HasPrefix(s[1], "msort") {
				three += counts[i]
			}
		}
		if three*10 < total*9 {
			t.Errorf("ustack(3): %d of %d stacks are three frames msort…;msort…;cmp_hot:\n%s", three, total, strings.Join(c.tl.Stdout(), "\n"))
		}
	}
}
