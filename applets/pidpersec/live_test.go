package pidpersec

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/internal/proctest"
)

func TestMain(m *testing.M) { proctest.Main(m) }

// TestLiveSpawn: a helper in its own cgroup starts 12 processes;
// pidpersec -c counts, over its summaries, exactly those new tasks that
// are not threads (the Go runtime's threads in each child are counted as
// threads).
func TestLiveSpawn(t *testing.T) {
	livetest.Require(t)
	const n = 12
	cg := livetest.Cgroup(t, "pidpersec")
	h := proctest.Start(t, proctest.Cmd(t, "pbx-spawn", "spawn", strconv.Itoa(n)))
	if err := os.WriteFile(filepath.Join(cg, "cgroup.procs"), []byte(strconv.Itoa(h.Pid)), 0o644); err != nil {
		t.Fatal(err)
	}
	tool := livetest.Start(t, Applet, "-v", "--json", "-c", cg)
	if _, ok := tool.WaitStderr(t, 60*time.Second, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("pidpersec did not start: %q", tool.Stderr())
	}
	if err := h.Continue(); err != nil {
		t.Fatalf("helper: %v", err)
	}
	time.Sleep(1100 * time.Millisecond) // a summary after the last child
	tool.Stop()
	var all, threads uint64
	for _, l := range tool.Stdout() {
		var s struct {
			PIDs    uint64 `json:"pids_per_sec"`
			Threads uint64 `json:"threads"`
		}
		if err := json.Unmarshal([]byte(l), &s); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		all += s.PIDs
		threads += s.Threads
	}
	// n children, plus the one Go's os.StartProcess forks once per process
	// to check that clone(CLONE_PIDFD) works.
	if all-threads != n+1 || threads == 0 {
		t.Errorf("counted %d tasks of which %d threads; want %d+1 processes (and the children's runtime threads): %q", all, threads, n, tool.Stdout())
	}
}
