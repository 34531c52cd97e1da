package runqlat

import (
	"strings"
	"testing"

	"github.com/probebox/probebox/core/livetest"
)

// A per-thread histogram map too small for the threads that wait is
// reported, not silently truncated.
func TestFullMapReported(t *testing.T) {
	livetest.Require(t)
	busy(t, 4, nil) // four threads waiting on two CPUs: more keys than 2
	tool := livetest.Start(t, Applet, "-L", "--max-keys", "2", "1", "1")
	if status, ok := tool.Exited(wait); !ok || status != 0 {
		t.Fatalf("runqlat 1 1: exited %v, status %d; stderr %q", ok, status, tool.Stderr())
	}
	if _, ok := tool.WaitStderr(t, 0, func(l string) bool {
		return strings.Contains(l, "the histogram map is full (2 keys)")
	}); !ok {
		t.Errorf("no full-map warning; stderr %q", tool.Stderr())
	}
}

func TestMaxKeysBounds(t *testing.T) {
	for _, v := range []string{"0", "1048577"} {
		tool := livetest.Start(t, Applet, "--max-keys", v)
		if status, ok := tool.Exited(wait); !ok || status != 2 {
			t.Errorf("--max-keys %s: status %d, want 2", v, status)
		}
	}
}
