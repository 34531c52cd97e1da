package capable

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
		t.Fatalf("capable did not start: %q", tool.Stderr())
	}
	return tool
}

// TestLiveDenied: a helper without effective capabilities asks for
// CAP_SYS_ADMIN (unshare of a UTS namespace). capable -p HELPER shows the
// denial; -x -u pid adds TID and shows the capability once.
func TestLiveDenied(t *testing.T) {
	h := proctest.Start(t, proctest.Cmd(t, "pbx-nocap", "nocap"))
	js := start(t, "--json", "-p", strconv.Itoa(h.Pid))
	text := start(t, "-x", "-u", "pid", "-p", strconv.Itoa(h.Pid))
	if err := h.Continue(); err != nil {
		t.Fatalf("helper: %v", err)
	}
	if _, ok := js.WaitStdout(t, wait, func(l string) bool { return strings.Contains(l, `"verdict":"deny"`) }); !ok {
		t.Fatalf("no denial: %q", js.Stdout())
	}
	var found bool
	for _, l := range js.Stdout() {
		var ev struct {
			PID     int    `json:"pid"`
			Comm    string `json:"comm"`
			Cap     int    `json:"cap"`
			Name    string `json:"name"`
			Verdict string `json:"verdict"`
			Ret     int    `json:"ret"`
		}
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		if ev.PID != h.Pid {
			t.Errorf("-p %d let another process through: %q", h.Pid, l)
		}
		if ev.Verdict == "deny" {
			found = true
			if ev.Comm != "pbx-nocap" || ev.Cap != 21 || ev.Name != "CAP_SYS_ADMIN" || ev.Ret != -1 {
				t.Errorf("denial %+v; want pbx-nocap CAP_SYS_ADMIN (21), ret -1 (EPERM)", ev)
			}
		}
	}
	if !found {
		t.Error("no deny event")
	}
	line, ok := text.WaitStdout(t, wait, func(l string) bool { return strings.Contains(l, " CAP_SYS_ADMIN ") })
	if !ok {
		t.Fatalf("-x: no CAP_SYS_ADMIN line: %q", text.Stdout())
	}
	f := strings.Fields(line)
	if len(f) != 10 || f[2] != strconv.Itoa(h.Pid) || f[4] != "pbx-nocap" || f[5] != "21" || f[8] != "deny" {
		t.Errorf("-x line %q", line)
	}
	time.Sleep(100 * time.Millisecond)
	n := 0
	for _, l := range text.Stdout() {
		if strings.Contains(l, " CAP_SYS_ADMIN ") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("-u pid printed CAP_SYS_ADMIN %d times: %q", n, text.Stdout())
	}
}
