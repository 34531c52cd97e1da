package setuids

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/internal/proctest"
)

func TestMain(m *testing.M) { proctest.Main(m) }

// wait is generous: under TCG in the kernel matrix, loading alone can take
// many seconds.
const wait = 60 * time.Second

func start(t *testing.T, args ...string) *livetest.Tool {
	t.Helper()
	livetest.Require(t)
	tool := livetest.Start(t, Applet, append([]string{"-v"}, args...)...)
	if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("setuids did not start: %q", tool.Stderr())
	}
	return tool
}

// TestLiveSetuid: a root helper drops its euid to 65534, then fails to
// set its real uid, then asks for an fs gid. setuids -p shows the three
// calls with the ids asked for, the caller's uid before each and the
// results; -x only the failed one.
func TestLiveSetuid(t *testing.T) {
	h := proctest.Start(t, proctest.Cmd(t, "pbx-setuid", "setuid"))
	js := start(t, "--json", "-p", strconv.Itoa(h.Pid))
	text := start(t, "-x", "-p", strconv.Itoa(h.Pid))
	if err := h.Continue(); err != nil {
		t.Fatal(err)
	}
	n := 0 // the match runs under the tool's lock: count here
	if _, ok := js.WaitStdout(t, wait, func(string) bool { n++; return n >= 3 }); !ok {
		t.Fatalf("want 3 events: %q", js.Stdout())
	}
	type ev struct {
		PID     int    `json:"pid"`
		Comm    string `json:"comm"`
		UID     int    `json:"uid"`
		Syscall string `json:"syscall"`
		RUID    *int   `json:"ruid"`
		EUID    *int   `json:"euid"`
		SUID    *int   `json:"suid"`
		GID     *int   `json:"gid"`
		Ret     *int   `json:"ret"`
		Prev    *int   `json:"prev"`
	}
	var evs []ev
	for _, l := range js.Stdout() {
		var e ev
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		evs = append(evs, e)
	}
	if len(evs) != 3 {
		t.Fatalf("events %q", js.Stdout())
	}
	for _, e := range evs {
		if e.PID != h.Pid || e.Comm != "pbx-setuid" || e.UID != 0 {
			t.Errorf("event %+v; want PID %d pbx-setuid caller uid 0", e, h.Pid)
		}
	}
	if e := evs[0]; e.Syscall != "setresuid" || e.RUID == nil || *e.RUID != -1 || *e.EUID != 65534 || *e.SUID != -1 || *e.Ret != 0 {
		t.Errorf("setresuid event %+v", e)
	}
	if e := evs[1]; e.Syscall != "setreuid" || e.RUID == nil || *e.RUID != 12345 || *e.EUID != 12345 || *e.Ret != -1 {
		t.Errorf("setreuid event %+v; want ret -1 (EPERM)", e)
	}
	if e := evs[2]; e.Syscall != "setfsgid" || e.GID == nil || *e.GID != 65534 || e.Prev == nil || *e.Prev != 0 {
		t.Errorf("setfsgid event %+v", e)
	}
	line, ok := text.WaitStdout(t, wait, func(l string) bool { return strings.Contains(l, "setreuid") })
	if !ok || !strings.HasSuffix(line, "pbx-setuid       0      setreuid  ruid=12345 euid=12345 (-1)") {
		t.Errorf("-x line %q", line)
	}
	time.Sleep(100 * time.Millisecond)
	if got := len(text.Stdout()); got != 2 {
		t.Errorf("-x printed %d lines, want header and the failure: %q", got, text.Stdout())
	}
}
