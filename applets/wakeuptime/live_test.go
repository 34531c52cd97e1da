package wakeuptime

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/applets/offwaketime"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/pingpong"
)

func TestMain(m *testing.M) {
	pingpong.MaybeRun()
	livetest.Main(m)
}

type wakeup struct {
	Target       string   `json:"target"`
	TargetPID    int      `json:"target_pid"`
	Waker        string   `json:"waker"`
	WakerPID     int      `json:"waker_pid"`
	WakerKernel  []string `json:"waker_kernel"`
	WakerUser    []string `json:"waker_user"`
	TargetKernel []string `json:"target_kernel"`
	TargetUser   []string `json:"target_user"`
	US           uint64   `json:"us"`
}

func decodeJSON(t *testing.T, tl *livetest.Tool) []wakeup {
	t.Helper()
	lines := tl.Stdout()
	if len(lines) != 1 {
		t.Fatalf("want one JSON object, got %q (stderr %q)", lines, tl.Stderr())
	}
	var out struct {
		Wakeups    []wakeup          `json:"wakeups"`
		NotCounted map[string]uint64 `json:"not_counted"`
	}
	dec := json.NewDecoder(strings.NewReader(lines[0]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("%v: %q", err, lines[0])
	}
	return out.Wakeups
}

func has(frames []string, part string) bool {
	return strings.Contains(strings.Join(frames, " "), part)
}

// TestLivePingPong: two named threads of a helper pass a byte back and
// forth through pipes; each blocks in pipe_read until the other's
// pipe_write wakes it. wakeuptime shows the waker's stack for the time
// the target was blocked; offwaketime joins it with the target's own
// blocked stack. Both run at once.
func TestLivePingPong(t *testing.T) {
	livetest.Require(t)
	h := pingpong.Start(t)
	pid := strconv.Itoa(h.PID)
	wake := livetest.Start(t, Applet, "--json", "-v", "-p", pid)
	offwake := livetest.Start(t, offwaketime.Applet, "--json", "-v", "-p", pid)
	for _, tl := range []*livetest.Tool{wake, offwake} {
		if _, ok := tl.WaitStderr(t, 30*time.Second, func(l string) bool { return strings.HasSuffix(l, ": tracing; hit Ctrl-C to end") }); !ok {
			t.Fatalf("not attached: %q", tl.Stderr())
		}
	}
	h.Play(t)
	for _, tl := range []*livetest.Tool{wake, offwake} {
		if status := tl.Stop(); status != 0 {
			t.Fatalf("status %d: %q", status, tl.Stderr())
		}
	}
	for _, c := range []struct {
		tool   string
		tl     *livetest.Tool
		joined bool
	}{{"wakeuptime", wake, false}, {"offwaketime", offwake, true}} {
		var us uint64
		for _, w := range decodeJSON(t, c.tl) {
			if w.TargetPID != h.PID {
				t.Errorf("%s -p %d: target pid %d", c.tool, h.PID, w.TargetPID)
			}
			if w.Target != pingpong.Pong || w.Waker != pingpong.Ping {
				continue
			}
			if !has(w.WakerKernel, "pipe_write") || !has(w.WakerUser, pingpong.WriteSymbol) {
				t.Errorf("%s: waker stacks without the pipe write: %q %q", c.tool, w.WakerKernel, w.WakerUser)
				continue
			}
			if c.joined && (!has(w.TargetKernel, "pipe_read") || !has(w.TargetUser, pingpong.ReadSymbol)) {
				t.Errorf("%s: target stacks without the pipe read: %q %q", c.tool, w.TargetKernel, w.TargetUser)
				continue
			}
			us += w.US
		}
		// The pong thread waits for each ping at least pingpong.Pause.
		want := uint64(pingpong.Rounds) * uint64(pingpong.Pause/time.Microsecond)
		if us < want*8/10 {
			t.Errorf("%s: %d us of %s blocked until %s wrote, want at least %d", c.tool, us, pingpong.Pong, pingpong.Ping, want*8/10)
		}
	}
}
