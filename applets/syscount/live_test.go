package syscount

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/sysnames"
	"github.com/probebox/probebox/internal/proctest"
)

func TestMain(m *testing.M) { proctest.Main(m) }

const (
	wait    = 60 * time.Second // generous: loading under TCG is slow
	getppid = 123              // calls the helper makes
	opens   = 17               // failed openat() calls the helper makes
)

type jsonSummary struct {
	Rows []struct {
		Syscall string  `json:"syscall"`
		PID     int     `json:"pid"`
		Comm    string  `json:"comm"`
		Count   int     `json:"count"`
		TotalUS float64 `json:"total_us"`
	} `json:"rows"`
}

// runHelper starts syscount with args (in --json, ended by the test), runs the
// syscall helper once attached and returns the one summary printed at the
// end. filter names the -p / -t value: "pid" or "tid" of the helper.
func runHelper(t *testing.T, filter string, args ...string) (jsonSummary, *proctest.Proc) {
	t.Helper()
	livetest.Require(t)
	h := proctest.Start(t, proctest.Cmd(t, "pbx-syscalls", "syscalls", strconv.Itoa(getppid), strconv.Itoa(opens)))
	id := h.Pid
	if filter == "tid" {
		id, _ = strconv.Atoi(h.Line)
	}
	flag := map[string]string{"pid": "-p", "tid": "-t"}[filter]
	tool := livetest.Start(t, Applet, append([]string{"-v", "--json", "-T", "1000", flag, strconv.Itoa(id)}, args...)...)
	if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("syscount did not start: %q", tool.Stderr())
	}
	if err := h.Continue(); err != nil {
		t.Fatalf("helper: %v", err)
	}
	if status := tool.Stop(); status != 0 {
		t.Fatalf("status %d; stderr %q", status, tool.Stderr())
	}
	out := tool.Stdout()
	if len(out) != 1 {
		t.Fatalf("want one summary, got %q", out)
	}
	var s jsonSummary
	if err := json.Unmarshal([]byte(out[0]), &s); err != nil {
		t.Fatalf("%q: %v", out[0], err)
	}
	return s, h
}

func counts(s jsonSummary) map[string]int {
	m := map[string]int{}
	for _, r := range s.Rows {
		m[r.Syscall] = r.Count
	}
	return m
}

// TestLiveCountsExact: with -p, the helper's getppid() and openat() calls
// are counted exactly, under this architecture's names, through the raw
// tracepoints (numbers from the registers) and the tracefs ones.
func TestLiveCountsExact(t *testing.T) {
	for _, tc := range []struct{ name, disable string }{{"best", ""}, {"tracepoint", "raw_tracepoint"}} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.disable != "" && livetest.RerunFresh(t, "PROBEBOX_DISABLE="+tc.disable) {
				return
			}
			s, _ := runHelper(t, "pid")
			c := counts(s)
			if c["getppid"] != getppid || c["openat"] != opens {
				t.Errorf("getppid %d, openat %d; want %d and %d (%s names); rows %+v", c["getppid"], c["openat"], getppid, opens, sysnames.Arch, s.Rows)
			}
		})
	}
}

// TestLiveFailures: -x counts only failed calls: the helper's failed
// opens, never its getppid() calls; -e ENOENT the same.
func TestLiveFailures(t *testing.T) {
	for _, args := range [][]string{{"-x"}, {"-e", "ENOENT"}} {
		t.Run(args[0], func(t *testing.T) {
			s, _ := runHelper(t, "pid", args...)
			c := counts(s)
			if c["openat"] != opens || c["getppid"] != 0 {
				t.Errorf("%v: openat %d getppid %d; want %d and 0; rows %+v", args, c["openat"], c["getppid"], opens, s.Rows)
			}
		})
	}
}

// TestLiveLatency: -L with -t (the helper's own thread) puts its one
// 10 ms nanosleep() in the nanosleep row, with at least 10 ms of time.
func TestLiveLatency(t *testing.T) {
	s, _ := runHelper(t, "tid", "-L")
	for _, r := range s.Rows {
		if r.Syscall == "nanosleep" {
			if r.Count != 1 || r.TotalUS < 10000 || r.TotalUS > 2e6 {
				t.Errorf("nanosleep row %+v; want count 1 and 10000-2000000 us", r)
			}
			for i := 1; i < len(s.Rows); i++ {
				if s.Rows[i].TotalUS > s.Rows[i-1].TotalUS {
					t.Errorf("-L sorts by total time: %+v", s.Rows)
				}
			}
			return
		}
	}
	t.Errorf("no nanosleep row: %+v", s.Rows)
}

// TestLiveByProcess: -P has one row for the helper, under its name, with
// every call it made at least.
func TestLiveByProcess(t *testing.T) {
	s, h := runHelper(t, "pid", "-P")
	if len(s.Rows) != 1 || s.Rows[0].PID != h.Pid || s.Rows[0].Comm != "pbx-syscalls" || s.Rows[0].Count < getppid+opens+1 {
		t.Errorf("rows %+v; want one for PID %d pbx-syscalls with >= %d calls", s.Rows, h.Pid, getppid+opens+1)
	}
}
