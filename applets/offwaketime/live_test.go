package offwaketime

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/pingpong"
)

func TestMain(m *testing.M) {
	pingpong.MaybeRun()
	livetest.Main(m)
}

// TestLiveFolded: two threads of a helper pass a byte through pipes, each
// blocked in pipe_read until the other's pipe_write wakes it. offwaketime
// -f joins the blocked stack (target side, before "--") with the waker's
// (after it), one folded line per pair, and -m drops blocks shorter than
// its threshold. (wakeuptime's live test checks --json of both tools.)
func TestLiveFolded(t *testing.T) {
	livetest.Require(t)
	h := pingpong.Start(t)
	pid := strconv.Itoa(h.PID)
	all := livetest.Start(t, Applet, "-f", "-v", "-p", pid)
	long := livetest.Start(t, Applet, "-f", "-v", "-p", pid, "-m", "1000000") // 1 s: no block is that long
	for _, tl := range []*livetest.Tool{all, long} {
		if _, ok := tl.WaitStderr(t, 30*time.Second, func(l string) bool { return strings.HasSuffix(l, ": tracing; hit Ctrl-C to end") }); !ok {
			t.Fatalf("not attached: %q", tl.Stderr())
		}
	}
	h.Play(t)
	for _, tl := range []*livetest.Tool{all, long} {
		if status := tl.Stop(); status != 0 {
			t.Fatalf("status %d: %q", status, tl.Stderr())
		}
	}
	var us uint64
	for _, line := range all.Stdout() {
		// The count follows the last space (Go's generic frames hold spaces).
		i := strings.LastIndexByte(line, ' ')
		stack, n := line[:max(i, 0)], line[i+1:]
		v, err := strconv.ParseUint(n, 10, 64)
		if i < 0 || err != nil {
			t.Fatalf("not a folded line: %q", line)
		}
		frames := strings.Split(stack, ";")
		if frames[0] != pingpong.Pong || frames[len(frames)-1] != pingpong.Ping {
			continue
		}
		target, waker, joined := strings.Cut(stack, ";--;")
		if !joined {
			t.Errorf("no -- between the blocked and the waker's stacks: %q", line)
			continue
		}
		if !strings.Contains(target, pingpong.ReadSymbol) || !strings.Contains(target, "pipe_read") {
			t.Errorf("blocked side without the pipe read: %q", target)
		}
		if !strings.Contains(waker, pingpong.WriteSymbol) || !strings.Contains(waker, "pipe_write") {
			t.Errorf("waker side without the pipe write: %q", waker)
		}
		us += v
	}
	want := uint64(pingpong.Rounds) * uint64(pingpong.Pause/time.Microsecond) * 8 / 10
	if us < want {
		t.Errorf("%d us of %s blocked until %s wrote, want at least %d:\n%s", us, pingpong.Pong, pingpong.Ping, want, strings.Join(all.Stdout(), "\n"))
	}
	for _, line := range long.Stdout() {
		if strings.HasPrefix(line, pingpong.Pong+";") {
			t.Errorf("-m 1000000 kept a block shorter than 1 s: %q", line)
		}
	}
}
