package exitsnoop

import (
	"encoding/json"
	"fmt"
	"os"
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

func start(t *testing.T, args ...string) *livetest.Tool {
	t.Helper()
	livetest.Require(t)
	tool := livetest.Start(t, Applet, append([]string{"-v"}, args...)...)
	if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("exitsnoop did not start; stderr:\n%s", strings.Join(tool.Stderr(), "\n"))
	}
	return tool
}

type jsonEvent struct {
	Comm       string  `json:"comm"`
	PID        int     `json:"pid"`
	PPID       int     `json:"ppid"`
	TID        int     `json:"tid"`
	Age        float64 `json:"age_s"`
	ExitCode   int     `json:"exit_code"`
	Signal     int     `json:"signal"`
	SignalName string  `json:"signal_name"`
	CgroupID   uint64  `json:"cgroup_id"`
}

// events returns the JSON events for pid so far.
func events(t *testing.T, tool *livetest.Tool, pid int) []jsonEvent {
	t.Helper()
	var out []jsonEvent
	for _, l := range tool.Stdout() {
		var ev jsonEvent
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			t.Fatalf("line %q is not JSON: %v", l, err)
		}
		if ev.PID == pid {
			out = append(out, ev)
		}
	}
	return out
}

func waitPID(t *testing.T, tool *livetest.Tool, pid int) jsonEvent {
	t.Helper()
	key := fmt.Sprintf(`"pid":%d,`, pid)
	if _, ok := tool.WaitStdout(t, wait, func(l string) bool { return strings.Contains(l, key) }); !ok {
		t.Fatalf("no exit event for PID %d; stderr:\n%s", pid, strings.Join(tool.Stderr(), "\n"))
	}
	return events(t, tool, pid)[0]
}

// TestLiveExitCodeAndSignal: a helper exits with code 7, another is
// killed with SIGKILL; a thread that ends on its own shows only with -T.
func TestLiveExitCodeAndSignal(t *testing.T) {
	for _, tc := range []struct{ name, disable string }{{"best", ""}, {"tracepoint", "tp_btf,raw_tracepoint"}} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.disable != "" && livetest.RerunFresh(t, "PROBEBOX_DISABLE="+tc.disable) {
				return
			}
			tool := start(t, "--json")
			code := proctest.Cmd(t, "pbx-exit7", "exit", "7")
			code.Run()
			ev := waitPID(t, tool, code.Process.Pid)
			if ev.Comm != "pbx-exit7" || ev.ExitCode != 7 || ev.Signal != 0 || ev.PPID != os.Getpid() || ev.TID != ev.PID {
				t.Errorf("exit 7 event %+v; want comm pbx-exit7 code 7 signal 0 ppid %d", ev, os.Getpid())
			}

			victim := proctest.Start(t, proctest.Cmd(t, "pbx-victim", "wait"))
			time.Sleep(200 * time.Millisecond) // an age to measure
			victim.Cmd.Process.Signal(syscall.SIGKILL)
			victim.Cmd.Wait()
			ev = waitPID(t, tool, victim.Pid)
			if ev.Comm != "pbx-victim" || ev.Signal != 9 || ev.SignalName != "SIGKILL" || ev.ExitCode != 0 || ev.Age < 0.2 || ev.Age > 10 {
				t.Errorf("killed helper's event %+v; want comm pbx-victim signal 9 (SIGKILL), age >= 0.2 s", ev)
			}
			if tc.disable != "" {
				if _, ok := tool.WaitStderr(t, 0, func(l string) bool { return strings.Contains(l, "tracepoint sched:sched_process_exit") }); !ok {
					t.Errorf("-v does not name the tracepoint: %q", tool.Stderr())
				}
			}
		})
	}
}

// TestLiveText checks the text columns for a killed process, and that -x
// (in the kernel) leaves out a clean exit.
func TestLiveTextFailedOnly(t *testing.T) {
	tool := start(t, "-x")
	clean := proctest.Cmd(t, "pbx-clean", "exit", "0")
	clean.Run()
	victim := proctest.Start(t, proctest.Cmd(t, "pbx-term", "wait"))
	victim.Cmd.Process.Signal(syscall.SIGTERM)
	victim.Cmd.Wait()
	line, ok := tool.WaitStdout(t, wait, func(l string) bool { return strings.HasPrefix(l, "pbx-term ") })
	if !ok {
		t.Fatalf("no line for the SIGTERM'd helper; stdout:\n%s", strings.Join(tool.Stdout(), "\n"))
	}
	f := strings.Fields(line)
	want := []string{"pbx-term", strconv.Itoa(victim.Pid), strconv.Itoa(os.Getpid()), strconv.Itoa(victim.Pid)}
	if len(f) < 8 || strings.Join(f[:4], " ") != strings.Join(want, " ") || !strings.HasSuffix(line, " signal 15 (Terminated)") {
		t.Errorf("line %q; want %v ... signal 15 (Terminated)", line, want)
	}
	if got := tool.Stdout()[0]; got != "PCOMM            PID     PPID    TID     AGE(s)  EXIT_CODE" {
		t.Errorf("header %q", got)
	}
	for _, l := range tool.Stdout() {
		if strings.HasPrefix(l, "pbx-clean ") {
			t.Errorf("-x printed a clean exit: %q", l)
		}
	}
	if status := tool.Stop(); status != 0 {
		t.Errorf("exit status %d after Ctrl-C", status)
	}
}

// TestLivePIDAndThreads: -p PID -T shows the helper's own thread ending
// (tid != pid) and then the process; other processes are filtered in the
// kernel. Without -T the thread is not shown.
func TestLivePIDAndThreads(t *testing.T) {
	h := proctest.Start(t, proctest.Cmd(t, "pbx-threads", "threadexit"))
	tid, _ := strconv.Atoi(h.Line)
	perThread := start(t, "--json", "-T", "-p", strconv.Itoa(h.Pid))
	byProcess := start(t, "--json", "-p", strconv.Itoa(h.Pid))
	other := proctest.Cmd(t, "pbx-other", "exit", "5")
	other.Run()
	h.Continue()
	waitPID(t, perThread, h.Pid)
	waitPID(t, byProcess, h.Pid)
	time.Sleep(100 * time.Millisecond)
	var sawThread, sawLeader bool
	for _, ev := range events(t, perThread, h.Pid) {
		sawThread = sawThread || ev.TID == tid
		sawLeader = sawLeader || ev.TID == h.Pid
	}
	if !sawThread || !sawLeader || tid == h.Pid {
		t.Errorf("-T: thread %d seen %v, leader %d seen %v: %q", tid, sawThread, h.Pid, sawLeader, perThread.Stdout())
	}
	if evs := events(t, byProcess, h.Pid); len(evs) != 1 || evs[0].TID != h.Pid {
		t.Errorf("without -T, want only the process's exit: %+v", evs)
	}
	for _, tool := range []*livetest.Tool{perThread, byProcess} {
		if len(events(t, tool, other.Process.Pid)) != 0 {
			t.Errorf("-p %d let PID %d through", h.Pid, other.Process.Pid)
		}
	}
}
