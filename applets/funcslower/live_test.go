package funcslower

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/internal/funcs"
	"github.com/probebox/probebox/internal/functest"
)

func TestMain(m *testing.M) { functest.Main(m) }

type jsonEvent struct {
	Comm   string   `json:"comm"`
	PID    int      `json:"pid"`
	TID    int      `json:"tid"`
	LatNS  uint64   `json:"lat_ns"`
	Func   string   `json:"func"`
	Retval uint64   `json:"retval"`
	Args   []uint64 `json:"args"`
}

func start(t *testing.T, args ...string) *livetest.Tool {
	t.Helper()
	livetest.Require(t)
	tool := livetest.Start(t, Applet, append([]string{"-v", "--json"}, args...)...)
	tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") || strings.Contains(l, "rror") })
	if !strings.Contains(strings.Join(tool.Stderr(), "\n"), "tracing;") {
		t.Fatalf("funcslower did not start; stderr:\n%s", strings.Join(tool.Stderr(), "\n"))
	}
	return tool
}

func events(t *testing.T, tool *livetest.Tool) []jsonEvent {
	t.Helper()
	if status := tool.Stop(); status != 0 {
		t.Fatalf("status %d; stderr %q", status, tool.Stderr())
	}
	var out []jsonEvent
	for _, l := range tool.Stdout() {
		var e jsonEvent
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		out = append(out, e)
	}
	return out
}

// TestLiveSlowAndReturn: 20 calls of a 5 ms function are all above -m 3
// and none above -m 100; with -u 0 every one of 50 calls of Target(i) is
// shown with its return value 2i+1. Three runs at once, -p on each.
func TestLiveSlowAndReturn(t *testing.T) {
	sleeper := functest.Start(t, "fslow-s", "sleep", 20)
	caller := functest.Start(t, "fslow-c", "call", 50)
	pid := strconv.Itoa(sleeper.PID)
	slow := start(t, "-m", "3", "-p", pid, sleeper.Path+":"+functest.SleepSymbol)
	none := start(t, "-m", "100", "-p", pid, sleeper.Path+":"+functest.SleepSymbol)
	all := start(t, "-u", "0", "-a", "1", "-p", strconv.Itoa(caller.PID), caller.Path+":"+functest.TargetSymbol)
	sleeper.Go(t)
	caller.Go(t)
	es := events(t, slow)
	if len(es) != 20 {
		t.Errorf("-m 3: %d calls, want 20: %+v", len(es), es)
	}
	for _, e := range es {
		if e.LatNS < 3_000_000 || e.PID != sleeper.PID || e.Comm != "fslow-s" || e.Func != functest.SleepSymbol {
			t.Errorf("-m 3: %+v", e)
		}
	}
	if es := events(t, none); len(es) != 0 {
		t.Errorf("-m 100: %d calls shown", len(es))
	}
	es = events(t, all)
	seen := map[uint64]bool{}
	for _, e := range es {
		seen[e.Retval] = true
		if len(e.Args) != 1 || e.PID != caller.PID {
			t.Errorf("-a 1: %+v", e)
		}
	}
	for i := range uint64(50) {
		if !seen[2*i+1] {
			t.Errorf("no call returning %d among %d events", 2*i+1, len(es))
			break
		}
	}
}

// TestLiveKernelFunction: where fentry or kprobes exist, a slow kernel
// function is shown (the test's own 20 ms nanosleep in do_nanosleep...
// hrtimer_nanosleep); on the host, one line and status 1.
func TestLiveKernelFunction(t *testing.T) {
	livetest.Require(t)
	if err := funcs.KernelProbes(attach.Running); err != nil {
		tool := livetest.Start(t, Applet, "vfs_read")
		status, _ := tool.Exited(wait)
		if errs := tool.Stderr(); status != 1 || len(errs) != 1 || !strings.Contains(errs[0], "kernel functions need kprobes or fentry") {
			t.Errorf("status %d, stderr %q: want exit 1 and one line", status, errs)
		}
		return
	}
	tool := start(t, "-m", "10", "-p", strconv.Itoa(os.Getpid()), "hrtimer_nanosleep")
	sleepRaw(20)
	es := events(t, tool)
	if len(es) == 0 || es[0].LatNS < 10_000_000 || es[0].Func != "hrtimer_nanosleep" {
		t.Errorf("events %+v, want the 20 ms sleep", es)
	}
}
