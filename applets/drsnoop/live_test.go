package drsnoop

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/internal/proctest"
)

func TestMain(m *testing.M) { proctest.Main(m) }

// wait is generous: under TCG in the kernel matrix, loading alone can take
// many seconds.
const wait = 60 * time.Second

// TestLiveReclaim: a helper in a 16 MB memory cgroup writes 64 MB to a
// file, and so reclaims its own page cache as it goes. drsnoop -p HELPER
// shows those stalls under its name, with pages reclaimed; nothing else.
// Where the temporary directory is itself in memory (tmpfs, as in the
// kernel matrix's initramfs), nothing can be reclaimed: the helper stalls
// in reclaim, reclaims nothing and is OOM-killed; the stalls must show all
// the same.
func TestLiveReclaim(t *testing.T) {
	livetest.Require(t)
	procs := proctest.MemoryCgroup(t, 16<<20)
	h := proctest.Start(t, proctest.Cmd(t, "pbx-reclaim", "writefile", filepath.Join(t.TempDir(), "fill"), "64"))
	proctest.Join(t, procs, h.Pid)
	tool := livetest.Start(t, Applet, "-v", "--json", "-p", strconv.Itoa(h.Pid))
	if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("drsnoop did not start: %q", tool.Stderr())
	}
	killed := false
	if err := h.Continue(); err != nil {
		ws, ok := h.Cmd.ProcessState.Sys().(syscall.WaitStatus)
		if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("helper: %v", err)
		}
		killed = true // nothing reclaimable: the OOM killer ended it
	}
	if _, ok := tool.WaitStdout(t, wait, func(l string) bool { return strings.Contains(l, `"pbx-reclaim"`) }); !ok {
		t.Fatalf("no reclaim stall: %q %q", tool.Stdout(), tool.Stderr())
	}
	tool.Stop()
	var pages uint64
	for _, l := range tool.Stdout() {
		var ev struct {
			Comm  string  `json:"comm"`
			PID   int     `json:"pid"`
			Lat   float64 `json:"lat_ms"`
			Pages uint64  `json:"pages"`
			Scope string  `json:"scope"`
		}
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		if ev.PID != h.Pid || ev.Comm != "pbx-reclaim" || ev.Lat <= 0 || ev.Scope == "" {
			t.Errorf("event %q; want pbx-reclaim (%d) with a latency", l, h.Pid)
		}
		pages += ev.Pages
	}
	if pages == 0 && !killed {
		t.Errorf("no pages reclaimed: %q", tool.Stdout())
	}
}
