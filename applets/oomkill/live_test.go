package oomkill

import (
	"encoding/json"
	"os"
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

// memoryCgroup makes a cgroup limited to limit bytes of memory (and no
// swap where that can be set) and returns the file to write a PID to, to
// move it in. cgroup v2's memory controller is used where it is on offer;
// hosts that keep memory on cgroup v1 (hybrid hierarchies, like the
// development machine) get a v1 memory cgroup under the test's own.
func memoryCgroup(t *testing.T, limit int) string {
	t.Helper()
	cg := livetest.Cgroup(t, "oom")
	// The memory controller must be on in the parent for memory.max to exist.
	os.WriteFile(filepath.Join(filepath.Dir(cg), "cgroup.subtree_control"), []byte("+memory"), 0o644)
	if err := os.WriteFile(filepath.Join(cg, "memory.max"), []byte(strconv.Itoa(limit)), 0o644); err == nil {
		os.WriteFile(filepath.Join(cg, "memory.swap.max"), []byte("0"), 0o644)
		return filepath.Join(cg, "cgroup.procs")
	}
	own := ""
	if b, err := os.ReadFile("/proc/self/cgroup"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if f := strings.SplitN(l, ":", 3); len(f) == 3 && f[1] == "memory" {
				own = f[2]
			}
		}
	}
	v1 := filepath.Join("/sys/fs/cgroup/memory", own, "pbx-oom-"+strconv.Itoa(os.Getpid()))
	if err := os.Mkdir(v1, 0o755); err != nil {
		livetest.Unavailable(t, "no memory controller to limit (cgroup v2 memory.max, or v1 under /sys/fs/cgroup/memory): %v", err)
	}
	t.Cleanup(func() { os.Remove(v1) })
	if err := os.WriteFile(filepath.Join(v1, "memory.limit_in_bytes"), []byte(strconv.Itoa(limit)), 0o644); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(v1, "memory.memsw.limit_in_bytes"), []byte(strconv.Itoa(limit)), 0o644)
	return filepath.Join(v1, "cgroup.procs")
}

// TestLiveOOMKill: a helper in a memory cgroup limited to 16 MB allocates 256 MB
// and is OOM-killed; oomkill shows it as both trigger and victim.
func TestLiveOOMKill(t *testing.T) {
	livetest.Require(t)
	procs := memoryCgroup(t, 16<<20)
	h := proctest.Start(t, proctest.Cmd(t, "pbx-oom", "alloc", "256"))
	if err := os.WriteFile(procs, []byte(strconv.Itoa(h.Pid)), 0o644); err != nil {
		t.Fatal(err)
	}
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
