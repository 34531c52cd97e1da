package biostacks

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
)

func TestMain(m *testing.M) { livetest.Main(m) }

// TestLiveStacks: on both hook candidates, the test's O_DIRECT writes to a
// loop device are in a histogram of its PID and the loop device, with a
// kernel stack through bio submission; -d keeps other disks out.
func TestLiveStacks(t *testing.T) {
	for _, tc := range []struct{ disable, hook string }{
		{"", "using tp_btf block_rq_insert + tp_btf block_rq_issue + tp_btf block_rq_complete"},
		{"tp_btf", "using raw_tracepoint block_rq_insert + raw_tracepoint block_rq_issue + raw_tracepoint block_rq_complete"},
	} {
		t.Run("disable="+tc.disable, func(t *testing.T) {
			if tc.disable != "" && livetest.RerunFresh(t, "PROBEBOX_DISABLE="+tc.disable) {
				return
			}
			t.Setenv("PROBEBOX_DISABLE", tc.disable)
			livetest.Require(t)
			loop := livetest.LoopDevice(t, 16<<20)
			tool := livetest.Start(t, Applet, "-v", "--json", "-d", loop.Name)
			if _, ok := tool.WaitStderr(t, 60*time.Second, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
				t.Fatalf("did not start: %q", tool.Stderr())
			}
			for i := 0; i < 8; i++ {
				loop.WriteDirect(t, int64(i)<<12, 4096)
			}
			if status := tool.Stop(); status != 0 {
				t.Fatalf("status %d: %q", status, tool.Stderr())
			}
			if !strings.Contains(strings.Join(tool.Stderr(), "\n"), tc.hook) {
				t.Errorf("-v does not say %q", tc.hook)
			}
			var s struct {
				Histograms []struct {
					Comm      string   `json:"comm"`
					PID       int      `json:"pid"`
					Disk      string   `json:"disk"`
					Stack     []string `json:"stack"`
					Histogram struct {
						Buckets []struct{ Count uint64 } `json:"buckets"`
					} `json:"histogram"`
				} `json:"histograms"`
			}
			out := tool.Stdout()
			if len(out) != 1 {
				t.Fatalf("want one object: %q", out)
			}
			if err := json.Unmarshal([]byte(out[0]), &s); err != nil {
				t.Fatal(err)
			}
			var mine uint64
			var stack string
			for _, h := range s.Histograms {
				if h.Disk != loop.Name {
					t.Errorf("-d %s shows %s", loop.Name, h.Disk)
				}
				if h.PID != os.Getpid() {
					continue
				}
				for _, b := range h.Histogram.Buckets {
					mine += b.Count
				}
				stack += strings.Join(h.Stack, " ") + " | "
			}
			if mine < 8 || !strings.Contains(stack, "submit_bio") || strings.HasPrefix(stack, "bpf_") {
				t.Errorf("the test's writes: %d counted (want >= 8), stacks %q (want bio submission, no BPF frames first)", mine, stack)
			}
		})
	}
}
