package writeback

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/livetest"
)

func TestMain(m *testing.M) { livetest.Main(m) }

// TestLiveSync: on every hook candidate, buffered writes to a loop device
// and sync(2) make the flusher write the device's dirty pages: a
// writeback work on the loop device's backing-device name ("7:N") is
// reported, with a known reason.
func TestLiveSync(t *testing.T) {
	for _, tc := range []struct{ disable, hook string }{
		{"", "using tp_btf writeback_start + tp_btf writeback_written"},
		{"tp_btf", "using raw_tracepoint writeback_start + raw_tracepoint writeback_written"},
		{"tp_btf,raw_tracepoint", "using tracepoint writeback:writeback_start + tracepoint writeback:writeback_written"},
	} {
		t.Run("disable="+tc.disable, func(t *testing.T) {
			if tc.disable != "" && livetest.RerunFresh(t, "PROBEBOX_DISABLE="+tc.disable) {
				return
			}
			t.Setenv("PROBEBOX_DISABLE", tc.disable)
			livetest.Require(t)
			loop := livetest.LoopDevice(t, 16<<20)
			tool := livetest.Start(t, Applet, "-v", "--json")
			if _, ok := tool.WaitStderr(t, 20*time.Second, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
				t.Fatalf("did not start: %q", tool.Stderr())
			}
			f, err := os.OpenFile(loop.Path, os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := f.Write(make([]byte, 1<<20)); err != nil {
				t.Fatal(err)
			}
			unix.Sync()
			dev := fmt.Sprintf("%d:%d", loop.Major, loop.Minor)
			line, ok := tool.WaitStdout(t, 10*time.Second, func(l string) bool { return strings.Contains(l, `"device":"`+dev+`"`) })
			tool.Stop()
			if !strings.Contains(strings.Join(tool.Stderr(), "\n"), tc.hook) {
				t.Errorf("-v does not say %q: %q", tc.hook, tool.Stderr())
			}
			if !ok {
				t.Fatalf("no writeback on %s: %q", dev, tool.Stdout())
			}
			var e struct {
				Reason    string `json:"reason"`
				LatencyNs uint64 `json:"latency_ns"`
			}
			if err := json.Unmarshal([]byte(line), &e); err != nil {
				t.Fatal(err)
			}
			if e.Reason != "sync" && e.Reason != "periodic" && e.Reason != "background" {
				t.Errorf("reason %q in %s", e.Reason, line)
			}
		})
	}
}
