package opensnoop

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/probebox/probebox/core/cost"
	"github.com/probebox/probebox/core/livetest"
)

// --stats over N opens by a helper process (filtered to its PID in the
// kernel; it opens nothing else once told to go): N events handled, at
// least 2N program runs (entry and exit), some run time, all in the final
// JSON object.
func TestLiveStats(t *testing.T) {
	const n = 300
	livetest.Require(t)
	path := uniquePath(t)
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"wait", "open"}
	for i := 0; i < n; i++ {
		args = append(args, path)
	}
	helper := livetest.Helper(t, "pbx-stats", args...)
	stdin, err := helper.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	tool := start(t, "--stats", "-p", strconv.Itoa(helper.Process.Pid))
	stdin.Write([]byte("go\n"))
	if err := helper.Wait(); err != nil {
		t.Fatalf("helper: %v", err)
	}
	seen := 0
	if _, ok := tool.WaitStdout(t, wait, func(l string) bool {
		if strings.Contains(l, `"path":"`+path+`"`) {
			seen++
		}
		return seen == n
	}); !ok {
		t.Fatalf("%d of %d opens seen", seen, n)
	}
	if status := tool.Stop(); status != 0 {
		t.Fatalf("status %d; stderr %q", status, tool.Stderr())
	}
	out := tool.Stdout()
	var got struct{ Stats cost.Summary }
	if err := json.Unmarshal([]byte(out[len(out)-1]), &got); err != nil {
		t.Fatalf("last line %q: %v", out[len(out)-1], err)
	}
	// The helper's own start-up may open a file or two after the tool
	// attached (its runtime races the tool's start): every printed event
	// counts, and the handled count must match the lines printed.
	printed := 0
	for _, l := range out[:len(out)-1] {
		if strings.Contains(l, `"path":"`) {
			printed++
		}
	}
	s := got.Stats
	if s.EventsHandled == nil || int(*s.EventsHandled) != printed || printed < n || *s.EventsLost != 0 {
		t.Errorf("events: %s; want %d handled (%d of them our opens), 0 lost", out[len(out)-1], printed, n)
	}
	if s.BPFRunCount == nil || *s.BPFRunCount < 2*n || *s.BPFRunNs == 0 {
		t.Errorf("BPF runs %v, run time %v: want at least %d runs and some time; missing %q", s.BPFRunCount, s.BPFRunNs, 2*n, s.Missing)
	}
	var enter uint64
	for _, p := range s.Programs {
		if p.Name == "tp_enter_openat" {
			enter = p.RunCount
		}
	}
	if enter < n {
		t.Errorf("tp_enter_openat ran %d times, want at least %d: %+v", enter, n, s.Programs)
	}
	if s.CPUUserNs+s.CPUSystemNs == 0 || s.CPUShare <= 0 || s.WallSeconds <= 0 {
		t.Errorf("CPU figures missing: %+v", s)
	}
}

// A kernel that refuses BPF statistics (imitated): --stats says which
// figures are missing; --max-cpu refuses to start with one line.
func TestLiveStatsRefused(t *testing.T) {
	livetest.Require(t)
	t.Setenv("PROBEBOX_DISABLE", "bpf_stats")
	tool := livetest.Start(t, Applet, "--stats", "-d", "1")
	status, ok := tool.Exited(wait)
	if !ok || status != 0 {
		t.Fatalf("--stats -d 1: exited %v, status %d; stderr %q", ok, status, tool.Stderr())
	}
	stderr := strings.Join(tool.Stderr(), "\n")
	if !strings.Contains(stderr, "stats: missing: BPF run count and run time: BPF_ENABLE_STATS refused") || strings.Contains(stderr, "BPF total") {
		t.Errorf("stderr does not say the BPF figures are missing:\n%s", stderr)
	}
	if !strings.Contains(stderr, "probebox alone (BPF unknown) used") {
		t.Errorf("stderr lacks probebox's own share:\n%s", stderr)
	}

	tool = livetest.Start(t, Applet, "--max-cpu", "5")
	status, ok = tool.Exited(wait)
	lines := tool.Stderr()
	if !ok || status != 1 || len(lines) != 1 || !strings.Contains(lines[0], "--max-cpu 5: BPF run-time statistics unavailable") {
		t.Errorf("--max-cpu without stats: exited %v, status %d, stderr %q; want status 1 and one line", ok, status, lines)
	}
	if len(tool.Stdout()) != 0 {
		t.Errorf("it started anyway: %q", tool.Stdout())
	}
}
