package runqslower

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/internal/schedload"
)

const wait = 30 * time.Second

func TestMain(m *testing.M) { schedload.Main(m) }

type jsonEvent struct {
	Time     string `json:"time"`
	Comm     string `json:"comm"`
	TID      int    `json:"tid"`
	PID      int    `json:"pid"`
	LatUS    uint64 `json:"lat_us"`
	PrevComm string `json:"prev_comm"`
	PrevTID  int    `json:"prev_tid"`
	CPU      int    `json:"cpu"`
}

func parse(t *testing.T, line string) jsonEvent {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(line))
	dec.DisallowUnknownFields()
	var e jsonEvent
	if err := dec.Decode(&e); err != nil {
		t.Fatalf("line %q is not a runqslower event: %v", line, err)
	}
	return e
}

func start(t *testing.T, args ...string) *livetest.Tool {
	t.Helper()
	livetest.Require(t)
	tool := livetest.Start(t, Applet, append([]string{"-v"}, args...)...)
	if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("runqslower did not start; stderr:\n%s", strings.Join(tool.Stderr(), "\n"))
	}
	return tool
}

// pinned starts n spinning threads all pinned to CPU 0, so each waits for
// the others: several milliseconds per wait, more with more threads.
func pinned(t *testing.T, name string, n int) *schedload.Load {
	return schedload.Spin(t, name, n, 0)
}

// TestLivePIDAboveThreshold: with -p, the load's threads show up with
// waits above min_us, and nothing else does. Run on each candidate.
func TestLivePIDAboveThreshold(t *testing.T) {
	for _, tc := range []struct{ disable, hook string }{
		{"", "using tp_btf sched_wakeup + tp_btf sched_wakeup_new + tp_btf sched_switch"},
		{"tp_btf", "using raw_tracepoint sched_wakeup + raw_tracepoint sched_wakeup_new + raw_tracepoint sched_switch"},
	} {
		t.Run("disable="+tc.disable, func(t *testing.T) {
			if tc.disable != "" && livetest.RerunFresh(t, "PROBEBOX_DISABLE="+tc.disable) {
				return
			}
			load := pinned(t, "rqsload", 6)
			schedload.Spin(t, "rqsother", 2, 0) // waits too, but is not asked for
			tool := start(t, "--json", "-p", strconv.Itoa(load.PID), "2000")
			if _, ok := tool.WaitStdout(t, wait, func(l string) bool {
				e := parse(t, l)
				return e.PID == load.PID && slices.Contains(load.TIDs, e.TID) && e.Comm == "rqsload"
			}); !ok {
				t.Fatalf("no wait of the load %d %v:\n%s", load.PID, load.TIDs, strings.Join(tool.Stdout(), "\n"))
			}
			tool.Stop()
			if !strings.Contains(strings.Join(tool.Stderr(), "\n"), tc.hook) {
				t.Errorf("-v does not say %q: %q", tc.hook, tool.Stderr())
			}
			for _, l := range tool.Stdout() {
				if e := parse(t, l); e.PID != load.PID || e.LatUS <= 2000 {
					t.Errorf("-p %d 2000 let through %+v", load.PID, e)
				}
			}
		})
	}
}

// TestLivePreviousText: -P -t prints the text columns with the task that
// gave up the CPU; among the load's pinned threads it is often a sibling.
func TestLivePreviousText(t *testing.T) {
	load := pinned(t, "rqsload", 4)
	tid := load.TIDs[0]
	tool := start(t, "-P", "-t", strconv.Itoa(tid), "1000")
	if _, ok := tool.WaitStdout(t, wait, func(l string) bool {
		f := strings.Fields(l)
		if len(f) != 6 || f[1] != "rqsload" || f[2] != strconv.Itoa(tid) || f[4] != "rqsload" {
			return false
		}
		prev, _ := strconv.Atoi(f[5])
		lat, _ := strconv.ParseUint(f[3], 10, 64)
		return slices.Contains(load.TIDs, prev) && prev != tid && lat > 1000
	}); !ok {
		t.Fatalf("no line for thread %d preceded by a sibling %v:\n%s", tid, load.TIDs, strings.Join(tool.Stdout(), "\n"))
	}
	tool.Stop()
	out := tool.Stdout()
	if out[0] != "Tracing run queue latency higher than 1000 us" ||
		out[1] != "TIME     COMM             TID           LAT(us) PREV COMM        PREV TID" {
		t.Errorf("header %q", out[:2])
	}
	for _, l := range out[2:] {
		if f := strings.Fields(l); len(f) < 3 || f[2] != strconv.Itoa(tid) {
			t.Errorf("-t %d let through %q", tid, l)
		}
	}
}

// TestLiveDefaultThreshold: without min_us, only waits above 10 ms are
// shown; a dozen threads on one CPU wait that long.
func TestLiveDefaultThreshold(t *testing.T) {
	load := pinned(t, "rqsload", 12)
	tool := start(t, "--json", "-p", strconv.Itoa(load.PID))
	if _, ok := tool.WaitStdout(t, wait, func(l string) bool { return parse(t, l).PID == load.PID }); !ok {
		t.Fatalf("no wait of the load above 10 ms")
	}
	tool.Stop()
	for _, l := range tool.Stdout() {
		if e := parse(t, l); e.LatUS <= 10000 {
			t.Errorf("default threshold let through %+v", e)
		}
	}
	// -v ends with the cost summary ("stats: N events handled, 0 lost"):
	// only a report of real losses counts.
	for _, l := range tool.Stderr() {
		if strings.Contains(l, "not counted") || (strings.Contains(l, "lost") && !strings.Contains(l, ", 0 lost")) {
			t.Errorf("losses reported: %s", l)
		}
	}
}
