package oomkill

import (
	"encoding/json"
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

// TestLiveOOMKill: a helper in a memory cgroup limited to 16 MB allocates 256 MB
// and is OOM-killed; oomkill shows it as both trigger and victim.
func TestLiveOOMKill(t *testing.T) {
	livetest.Require(t)
	procs := proctest.MemoryCgroup(t, 16<<20)
	h := proctest.Start(t, proctest.Cmd(t, "pbx-oom", "alloc", "256"))
	proctest.Join(t, procs, h.Pid)
	js := livetest.Start(t, Applet, "-v", "--json")
	text := livetest.Start(t, Applet)
	if _, ok := js.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("oomkill did not start: %q", js.Stderr())
	}
	time.Sleep(500 * time.Millisecond) // the text run attaches too
	err := h.Continue()
	if ws, ok := h.Cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("helper was not OOM-killed: %v", err)
	}
	key := `"victim_pid":` + strconv.Itoa(h.Pid) + ","
	line, ok := js.WaitStdout(t, wait, func(l string) bool { return strings.Contains(l, key) })
	if !ok {
		t.Fatalf("no OOM event for %d: %q %q", h.Pid, js.Stdout(), js.Stderr())
	}
	var ev struct {
		TriggerPID  int    `json:"trigger_pid"`
		TriggerComm string `json:"trigger_comm"`
		VictimComm  string `json:"victim_comm"`
		Pages       uint64 `json:"pages"`
		Loadavg     string `json:"loadavg"`
	}
	if err := json.Unmarshal([]byte(line), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.TriggerPID != h.Pid || ev.TriggerComm != "pbx-oom" || ev.VictimComm != "pbx-oom" || ev.Pages == 0 || len(strings.Fields(ev.Loadavg)) != 5 {
		t.Errorf("event %+v; want pbx-oom (%d) as trigger and victim, pages > 0, a loadavg line", ev, h.Pid)
	}
	want := "Triggered by PID " + strconv.Itoa(h.Pid) + ` ("pbx-oom"), OOM kill of PID ` + strconv.Itoa(h.Pid) + ` ("pbx-oom"), `
	tl, ok := text.WaitStdout(t, wait, func(l string) bool { return strings.Contains(l, "OOM kill of PID "+strconv.Itoa(h.Pid)+" ") })
	if !ok || !strings.Contains(tl, want) || !strings.Contains(tl, " pages, loadavg: ") {
		t.Errorf("text line %q; want %q... pages, loadavg: ...", tl, want)
	}
}
