package threadsnoop

import (
	"bufio"
	"encoding/json"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
)

// wait is generous: under TCG in the kernel matrix, loading alone can take
// many seconds.
const wait = 60 * time.Second

// target is a started testdata/threads.c, waiting for a line to make its
// thread.
type target struct {
	cmd *exec.Cmd
	in  interface{ Write([]byte) (int, error) }
	out *bufio.Reader
}

// buildTarget: testdata/threads.c, built now or beforehand (the kernel
// matrix's guests have no compiler).
func buildTarget(t *testing.T) string {
	t.Helper()
	return livetest.CProgram(t, "testdata/threads.c")
}

func startTarget(t *testing.T, bin string) *target {
	t.Helper()
	cmd := exec.Command(bin)
	in, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	tg := &target{cmd: cmd, in: in, out: bufio.NewReader(out)}
	if l, _ := tg.out.ReadString('\n'); l != "ready\n" {
		t.Fatalf("target said %q", l)
	}
	return tg
}

// run makes the target's thread and waits for it to end.
func (tg *target) run(t *testing.T) {
	t.Helper()
	tg.in.Write([]byte("go\n"))
	if l, _ := tg.out.ReadString('\n'); l != "done\n" {
		t.Fatalf("target said %q", l)
	}
}

// TestLiveThreads: two processes of a C program each start a thread in
// pbx_thread_main. threadsnoop shows both, with PID, comm and the start
// function by name; -p keeps only the first (in the kernel and in the
// uprobe), --json carries the same fields.
func TestLiveThreads(t *testing.T) {
	livetest.Require(t)
	bin := buildTarget(t)
	a, b := startTarget(t, bin), startTarget(t, bin)
	all := livetest.Start(t, Applet, "-v")
	byPID := livetest.Start(t, Applet, "-v", "--json", "-p", strconv.Itoa(a.cmd.Process.Pid))
	for _, tool := range []*livetest.Tool{all, byPID} {
		if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
			t.Fatalf("threadsnoop did not start: %q", tool.Stderr())
		}
	}
	a.run(t)
	b.run(t)
	for _, tg := range []*target{a, b} {
		pid := strconv.Itoa(tg.cmd.Process.Pid)
		line, ok := all.WaitStdout(t, wait, func(l string) bool { f := strings.Fields(l); return len(f) == 4 && f[1] == pid })
		if !ok {
			t.Fatalf("no thread line for PID %s; stdout %q stderr %q", pid, all.Stdout(), all.Stderr())
		}
		if f := strings.Fields(line); f[2] != "pbx-threads" || f[3] != "pbx_thread_main" {
			t.Errorf("line %q; want COMM pbx-threads FUNC pbx_thread_main", line)
		}
	}
	if got := all.Stdout()[0]; got != "TIME(ms)   PID     COMM             FUNC" {
		t.Errorf("header %q", got)
	}
	key := `"pid":` + strconv.Itoa(a.cmd.Process.Pid) + ","
	if _, ok := byPID.WaitStdout(t, wait, func(l string) bool { return strings.Contains(l, key) }); !ok {
		t.Fatalf("-p: no event; stdout %q", byPID.Stdout())
	}
	time.Sleep(200 * time.Millisecond)
	for _, l := range byPID.Stdout() {
		var ev struct {
			PID  int    `json:"pid"`
			TID  int    `json:"tid"`
			Comm string `json:"comm"`
			Func string `json:"func"`
		}
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		if ev.PID != a.cmd.Process.Pid || ev.TID != ev.PID || ev.Comm != "pbx-threads" || ev.Func != "pbx_thread_main" {
			t.Errorf("-p %d event %+v", a.cmd.Process.Pid, ev)
		}
	}
	if !strings.Contains(strings.Join(all.Stderr(), "\n"), "uprobe ") {
		t.Errorf("-v does not name the uprobe: %q", all.Stderr())
	}
}
