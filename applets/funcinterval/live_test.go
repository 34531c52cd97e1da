package funcinterval

import (
	"encoding/json"
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
	want := map[uint64]int{} // bucket low -> intervals the helper saw there
	for _, d := range a.Ticks {
		want[bucketLow(uint64(d.Milliseconds()))]++
	}
	var total uint64
	off := 0
	for _, b := range s.Hist.Buckets {
		total += b.Count
		if d := int(b.Count) - want[b.Low]; d > 0 {
			off += d
		}
	}
	if s.Hist.Unit != "msecs" || total != 29 || off > 1 {
		t.Errorf("%d intervals in %s %+v; the helper measured %v", total, s.Hist.Unit, s.Hist.Buckets, a.Ticks)
	}
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
