package cpudist

import (
	"encoding/json"
	"fmt"
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

type jsonHist struct {
	PID     *int   `json:"pid"`
	TID     *int   `json:"tid"`
	Comm    string `json:"comm"`
	Unit    string `json:"unit"`
	Buckets []struct {
		Low   uint64 `json:"low"`
		High  uint64 `json:"high"`
		Count uint64 `json:"count"`
	} `json:"buckets"`
}

type jsonSummary struct {
	Summary    int               `json:"summary"`
	Mode       string            `json:"mode"`
	Time       string            `json:"time"`
	Histograms []jsonHist        `json:"histograms"`
	NotCounted map[string]uint64 `json:"not_counted"`
}

func (h jsonHist) total() (n uint64) {
	for _, b := range h.Buckets {
		n += b.Count
	}
	return n
}

// atLeast counts the intervals in buckets from low up.
func (h jsonHist) atLeast(low uint64) (n uint64) {
	for _, b := range h.Buckets {
		if b.Low >= low {
			n += b.Count
		}
	}
	return n
}

// median is the low bound of the bucket holding the middle count.
func (h jsonHist) median() uint64 {
	half, seen := (h.total()+1)/2, uint64(0)
	for _, b := range h.Buckets {
		if seen += b.Count; seen >= half {
			return b.Low
		}
	}
	return 0
}

func parseSummary(t *testing.T, line string) jsonSummary {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(line))
	dec.DisallowUnknownFields()
	var s jsonSummary
	if err := dec.Decode(&s); err != nil {
		t.Fatalf("line %q is not a cpudist summary: %v", line, err)
	}
	return s
}

// runTool runs cpudist with args until it ends by itself and returns its
// stdout, failing the test unless it exits 0.
func runTool(t *testing.T, args ...string) *livetest.Tool {
	t.Helper()
	livetest.Require(t)
	tool := livetest.Start(t, Applet, append([]string{"-v"}, args...)...)
	if status, ok := tool.Exited(wait); !ok || status != 0 {
		t.Fatalf("cpudist %q: exited %v status %d; stderr:\n%s", args, ok, status, strings.Join(tool.Stderr(), "\n"))
	}
	return tool
}

// byTID finds the histogram of thread tid in the one JSON summary of out.
func byTID(t *testing.T, out []string, tid int) jsonHist {
	t.Helper()
	if len(out) != 1 {
		t.Fatalf("want one summary, got %q", out)
	}
	for _, h := range parseSummary(t, out[0]).Histograms {
		if h.TID != nil && *h.TID == tid {
			return h
		}
	}
	t.Fatalf("no histogram for thread %d in %s", tid, out[0])
	return jsonHist{}
}

// sleepMS is how long the sleeping thread sleeps each time: its off-CPU
// intervals land in the 16384-32767 usecs bucket.
const sleepMS = 20

// TestLiveOnOff: a CPU-bound thread and a thread that sleeps 20 ms in a
// loop, traced on-CPU and off-CPU (-O) at the same time, per thread (-L).
// On CPU the spinner's typical slice is longer than the sleeper's; off CPU
// the sleeper's typical interval is its sleep.
func TestLiveOnOff(t *testing.T) {
	livetest.Require(t)
	spin := schedload.Spin(t, "cpudspin", 1, -1)
	sleep := schedload.Sleep(t, "cpudsleep", 1, sleepMS*time.Millisecond)
	on := livetest.Start(t, Applet, "-L", "--json", "2", "1")
	off := livetest.Start(t, Applet, "-O", "-L", "--json", "2", "1")
	for _, tool := range []*livetest.Tool{on, off} {
		if status, ok := tool.Exited(wait); !ok || status != 0 {
			t.Fatalf("exited %v status %d; stderr:\n%s", ok, status, strings.Join(tool.Stderr(), "\n"))
		}
	}
	if s := parseSummary(t, on.Stdout()[0]); s.Mode != "on-CPU" {
		t.Errorf("mode %q without -O", s.Mode)
	}
	if s := parseSummary(t, off.Stdout()[0]); s.Mode != "off-CPU" {
		t.Errorf("mode %q with -O", s.Mode)
	}
	onSpin, onSleep := byTID(t, on.Stdout(), spin.TIDs[0]), byTID(t, on.Stdout(), sleep.TIDs[0])
	offSleep := byTID(t, off.Stdout(), sleep.TIDs[0])
	for _, h := range []jsonHist{onSpin, onSleep, offSleep} {
		if h.Unit != "usecs" || h.PID != nil {
			t.Errorf("histogram %+v: want unit usecs, keyed by tid", h)
		}
	}
	if onSpin.Comm != "cpudspin" || onSleep.Comm != "cpudsleep" || offSleep.Comm != "cpudsleep" {
		t.Errorf("comms %q %q %q", onSpin.Comm, onSleep.Comm, offSleep.Comm)
	}
	if onSpin.median() <= onSleep.median() {
		t.Errorf("on-CPU: spinner's median slice %d us is not longer than the sleeper's %d us\nspinner %+v\nsleeper %+v",
			onSpin.median(), onSleep.median(), onSpin.Buckets, onSleep.Buckets)
	}
	// 2 s of 20 ms sleeps: up to ~100 intervals of at least the sleep
	// (fewer on a slow emulated CPU, where a sleep can also last twice as
	// long), besides short ones where a busy machine preempted the thread
	// after it woke.
	if n, long := offSleep.total(), offSleep.atLeast(16384); long < 10 || long*10 < n*4 {
		t.Errorf("off-CPU: sleeper has %d of %d intervals of 16384 us or more: %+v", long, n, offSleep.Buckets)
	}
}

// TestLivePIDFilterText: -P -p PID prints that process's histogram (text
// output, milliseconds, timestamps) and no other.
func TestLivePIDFilterText(t *testing.T) {
	spin := schedload.Spin(t, "cpudspin", 1, -1)
	schedload.Spin(t, "cpudother", 1, -1)
	tool := runTool(t, "-P", "-m", "-T", "-p", strconv.Itoa(spin.PID), "1", "1")
	out := tool.Stdout()
	if len(out) == 0 || out[0] != "Tracing on-CPU time... Hit Ctrl-C to end." {
		t.Fatalf("banner missing:\n%s", strings.Join(out, "\n"))
	}
	want := fmt.Sprintf("pid = %d cpudspin", spin.PID)
	var keys []string
	for _, l := range out {
		if strings.HasPrefix(l, "pid = ") {
			keys = append(keys, l)
		}
	}
	if !slices.Equal(keys, []string{want}) {
		t.Errorf("histograms %q, want only %q:\n%s", keys, want, strings.Join(out, "\n"))
	}
	if !slices.Contains(out, "     msecs               : count    distribution") {
		t.Errorf("no msecs header:\n%s", strings.Join(out, "\n"))
	}
	if !strings.Contains(strings.Join(tool.Stderr(), "\n"), "context switch: using tp_btf sched_switch") {
		t.Errorf("-v does not name the hook: %q", tool.Stderr())
	}
}

// TestLiveFallbacks: the raw tracepoint and tracefs candidates see the
// same off-CPU sleeps.
func TestLiveFallbacks(t *testing.T) {
	for _, tc := range []struct{ disable, hook string }{
		{"tp_btf", "using raw_tracepoint sched_switch"},
		{"tp_btf,raw_tracepoint", "using tracepoint sched:sched_switch"},
	} {
		t.Run(strings.ReplaceAll(tc.disable, ",", "+"), func(t *testing.T) {
			if livetest.RerunFresh(t, "PROBEBOX_DISABLE="+tc.disable) {
				return
			}
			sleep := schedload.Sleep(t, "cpudsleep", 1, sleepMS*time.Millisecond)
			tool := runTool(t, "-O", "-L", "-p", strconv.Itoa(sleep.PID), "--json", "1", "1")
			if !strings.Contains(strings.Join(tool.Stderr(), "\n"), tc.hook) {
				t.Errorf("-v does not say %q: %q", tc.hook, tool.Stderr())
			}
			h := byTID(t, tool.Stdout(), sleep.TIDs[0])
			if n, long := h.total(), h.atLeast(16384); long < 5 || long*10 < n*4 || h.Comm != "cpudsleep" {
				t.Errorf("sleeper: median bucket %d comm %q: %+v", h.median(), h.Comm, h.Buckets)
			}
			for _, h := range parseSummary(t, tool.Stdout()[0]).Histograms {
				if h.Comm != "cpudsleep" {
					t.Errorf("-p %d let through %+v", sleep.PID, h)
				}
			}
		})
	}
}

// TestLiveFullMap: a per-thread map of 2 keys with more threads running is
// reported, not silently truncated.
func TestLiveFullMap(t *testing.T) {
	schedload.Spin(t, "cpudspin", 4, -1)
	tool := runTool(t, "-L", "--max-keys", "2", "--json", "1", "1")
	s := parseSummary(t, tool.Stdout()[0])
	if len(s.Histograms) > 2 || s.NotCounted["hists"] == 0 {
		t.Fatalf("%d histograms, not_counted %v", len(s.Histograms), s.NotCounted)
	}
	want := fmt.Sprintf("cpudist: %d intervals not counted: the hists map of 2 keys was full (raise --max-keys)", s.NotCounted["hists"])
	if !slices.Contains(tool.Stderr(), want) {
		t.Errorf("stderr %q, want %q", tool.Stderr(), want)
	}
}
