package funcinterval

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/internal/functest"
)

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
	if s.Hist.Unit != "msecs" || total != 29 || !fits(counts, a.Ticks) {
		t.Errorf("%d intervals in %s %+v; the helper bounded them to %v", total, s.Hist.Unit, s.Hist.Buckets, a.Ticks)
	}
}

// fits reports whether the histogram's counts can be the helper's
// intervals: each counted in a bucket between those of its lower and upper
// bound (an interval measured on a bucket's edge may land on either side).
// Buckets are filled from the lowest, each with the intervals whose upper
// bound's bucket comes soonest: that finds a way to place them when there
// is one.
func fits(counts map[uint64]uint64, ticks []functest.Tick) bool {
	type span struct{ lo, hi uint64 }
	spans := make([]span, len(ticks))
	for i, tk := range ticks {
		spans[i] = span{bucketLow(uint64(tk.Lo.Milliseconds())), bucketLow(uint64(tk.Hi.Milliseconds()))}
	}
	lows := slices.Sorted(maps.Keys(counts))
	used := make([]bool, len(spans))
	for _, b := range lows {
		for n := counts[b]; n > 0; n-- {
			best := -1
			for i, sp := range spans {
				if !used[i] && sp.lo <= b && b <= sp.hi && (best < 0 || sp.hi < spans[best].hi) {
					best = i
				}
			}
			if best < 0 {
				return false
			}
			used[best] = true
		}
	}
	return true
}

func bucketLow(v uint64) uint64 {
	if v < 2 {
		return 0
	}
	low := uint64(1)
	for low*2 <= v {
		low *= 2
	}
	return low
}
