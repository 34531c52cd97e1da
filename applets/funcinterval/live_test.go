package funcinterval

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/internal/functest"
)

// TestLiveTicks: a helper calls functest.Target about every 10 ms, 30
// times, and bounds the 29 intervals itself by clock reads around its
// calls; with -m and -p the histogram holds those intervals, each in a
// bucket within its bounds (functest.Fits).
func TestLiveTicks(t *testing.T) {
	livetest.Require(t)
	a := functest.Start(t, "fint-a", "tick", 30)
	tool := livetest.Start(t, Applet, "-v", "--json", "-m", "-p", strconv.Itoa(a.PID), a.Path+":"+functest.TargetSymbol)
	if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("did not start: %q", tool.Stderr())
	}
	a.Go(t)
	if status := tool.Stop(); status != 0 {
		t.Fatalf("status %d, stderr %q", status, tool.Stderr())
	}
	var s struct {
		Hist struct {
			Unit    string `json:"unit"`
			Buckets []struct{ Low, High, Count uint64 }
		} `json:"hist"`
	}
	out := tool.Stdout()
	if len(out) != 1 || json.Unmarshal([]byte(out[0]), &s) != nil {
		t.Fatalf("want one summary: %q", out)
	}
	if len(a.Ticks) != 29 {
		t.Fatalf("helper measured %d intervals, want 29", len(a.Ticks))
	}
	var total uint64
	counts := map[uint64]uint64{}
	for _, b := range s.Hist.Buckets {
		total += b.Count
		counts[b.Low] += b.Count
	}
	if s.Hist.Unit != "msecs" || total != 29 || !functest.Fits(counts, a.Ticks, time.Millisecond) {
		t.Errorf("%d intervals in %s %+v; the helper bounded them to %v", total, s.Hist.Unit, s.Hist.Buckets, a.Ticks)
	}
}
