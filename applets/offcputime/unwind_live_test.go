package offcputime

import (
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"os/exec"

	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/unwind"
	"github.com/probebox/probebox/core/unwind/unwindtest"
)

// TestLiveUnwind: a program built without frame pointers blocks in read
// from a pipe inside a comparator qsort calls; the test writes a byte
// every 50 ms so each block ends and is counted. With the .eh_frame walk
// the whole chain main;qsort…;cmp_block shows; the frame-pointer walk
// does not reach main.
func TestLiveUnwind(t *testing.T) {
	livetest.Require(t)
	if !unwind.Walks() {
		// No walker rules for this architecture: eh_frame is refused.
		tl := livetest.Start(t, Applet, "--unwind=eh_frame", "-U", "1")
		status, ok := tl.Exited(30 * time.Second)
		if !ok || status != 1 || len(tl.Stderr()) != 1 || !strings.Contains(tl.Stderr()[0], "--unwind=eh_frame") {
			t.Errorf("--unwind=eh_frame on %s: status %d, %q; want one line and status 1", runtime.GOARCH, status, tl.Stderr())
		}
		return
	}
	cmd := exec.Command(unwindtest.Program(t), "block")
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { close(done); in.Close(); cmd.Process.Kill(); cmd.Wait() })
	go func() {
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				if _, err := in.Write([]byte{'x'}); err != nil {
					return
				}
			}
		}
	}()
	pid := strconv.Itoa(cmd.Process.Pid)
	eh := livetest.Start(t, Applet, "-p", pid, "-U", "-f", "2")
	fp := livetest.Start(t, Applet, "-p", pid, "-U", "-f", "--unwind=fp", "2")
	for _, c := range []struct {
		name  string
		tl    *livetest.Tool
		whole bool
	}{{"eh_frame", eh, true}, {"fp", fp, false}} {
		status, ok := c.tl.Exited(30 * time.Second)
		if !ok || status != 0 {
			t.Fatalf("%s: ended %v status %d: %q", c.name, ok, status, c.tl.Stderr())
		}
		var whole, inCmp, total uint64
		for _, l := range c.tl.Stdout() {
			i := strings.LastIndexByte(l, ' ')
			n, err := strconv.ParseUint(l[i+1:], 10, 64)
			if i < 0 || err != nil {
				t.Fatalf("%s: not a folded line: %q", c.name, l)
			}
			total += n
			frames := strings.Split(l[:i], ";")
			main, qsort, cmp := -1, -1, -1
			for j, f := range frames {
				switch {
				case f == "main" && main < 0:
					main = j
				case strings.HasPrefix(f, "qsort") && qsort < 0:
					qsort = j
				case f == "cmp_block":
					cmp = j
				}
			}
			if cmp >= 0 {
				inCmp += n
			}
			if main >= 0 && main < qsort && qsort < cmp {
				whole += n
			}
		}
		// Microseconds blocked; the program spends its life blocked.
		if total < 100000 {
			t.Errorf("%s: %d us blocked in 2 s of a program that is always blocked:\n%s", c.name, total, strings.Join(c.tl.Stdout(), "\n"))
		}
		if c.whole && (whole == 0 || whole*2 < inCmp) {
			t.Errorf("eh_frame: %d of %d us blocked in cmp_block under main;qsort…:\n%s", whole, inCmp, strings.Join(c.tl.Stdout(), "\n"))
		}
		if !c.whole && whole != 0 && unwindtest.FPTruncates {
			t.Errorf("fp: a frame-pointer walk through code without frame pointers reached main (%d us):\n%s", whole, strings.Join(c.tl.Stdout(), "\n"))
		}
	}
}
