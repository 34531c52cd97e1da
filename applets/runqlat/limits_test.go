package runqlat

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/probebox/probebox/core/livetest"
)

// A per-thread histogram map too small for the threads that wait is
// reported with the number of waits it refused, on stderr and in --json,
// not silently truncated.
func TestFullMapReported(t *testing.T) {
	livetest.Require(t)
	busy(t, 4, nil) // four threads waiting on two CPUs: more keys than 2
	tool := livetest.Start(t, Applet, "-L", "--max-keys", "2", "--json", "1", "1")
	if status, ok := tool.Exited(wait); !ok || status != 0 {
		t.Fatalf("runqlat 1 1: exited %v, status %d; stderr %q", ok, status, tool.Stderr())
	}
	out := tool.Stdout()
	if len(out) != 1 {
		t.Fatalf("want one summary, got %q", out)
	}
	var s jsonSummary
	if err := json.Unmarshal([]byte(out[0]), &s); err != nil {
		t.Fatal(err)
	}
	if len(s.Histograms) > 2 {
		t.Errorf("%d histograms in a map of 2 keys", len(s.Histograms))
	}
	n := s.NotCounted["hists"]
	if n == 0 {
		t.Fatalf("not_counted %v: want hists > 0; stderr %q", s.NotCounted, tool.Stderr())
	}
	want := fmt.Sprintf("runqlat: %d waits not counted: the hists map of 2 keys was full (raise --max-keys)", n)
	if !slices.Contains(tool.Stderr(), want) {
		t.Errorf("stderr %q, want the line %q", tool.Stderr(), want)
	}
}

// A full map of waiting threads is reported too. Its size is fixed; the
// test shrinks it through startEntries (the applet runs in this process).
func TestFullStartMapReported(t *testing.T) {
	livetest.Require(t)
	startEntries = 2
	t.Cleanup(func() { startEntries = 0 })
	busy(t, 4, nil)
	tool := livetest.Start(t, Applet, "--json", "1", "1")
	if status, ok := tool.Exited(wait); !ok || status != 0 {
		t.Fatalf("runqlat 1 1: exited %v, status %d; stderr %q", ok, status, tool.Stderr())
	}
	var s jsonSummary
	if out := tool.Stdout(); len(out) != 1 || json.Unmarshal([]byte(out[0]), &s) != nil {
		t.Fatalf("want one JSON summary, got %q", out)
	}
	n := s.NotCounted["start"]
	if n == 0 {
		t.Fatalf("not_counted %v: want start > 0", s.NotCounted)
	}
	want := fmt.Sprintf("runqlat: %d wakeups not counted: the start map of 2 keys was full", n)
	if !slices.Contains(tool.Stderr(), want) {
		t.Errorf("stderr %q, want the line %q", tool.Stderr(), want)
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
