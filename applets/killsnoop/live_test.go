package killsnoop

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
		t.Fatalf("killsnoop did not start: %q", tool.Stderr())
	}
	return tool
}

// TestLiveKill: a helper kill()s another with SIGUSR1. killsnoop -p
// SENDER prints it (sender, signal, target and its name, result 0) and
// nothing from other senders; killsnoop -x shows only a kill() that failed
// (ESRCH), with the errno as RESULT.
func TestLiveKill(t *testing.T) {
	victim := proctest.Start(t, proctest.Cmd(t, "pbx-victim", "wait"))
	sender := proctest.Start(t, proctest.Cmd(t, "pbx-sender", "kill", strconv.Itoa(victim.Pid), "10", "wait"))
	byPID := start(t, "-n", "-p", strconv.Itoa(sender.Pid))
	failed := start(t, "-x", "--json")

	const missing = 4194303 // above any default pid_max on 64-bit: ESRCH
	other := proctest.Cmd(t, "pbx-other", "kill", strconv.Itoa(missing), "15")
	if err := other.Run(); err == nil {
		t.Fatal("kill of a missing PID worked")
	}
	if err := sender.Continue(); err != nil {
		t.Fatalf("sender: %v", err)
	}

	// The Go runtime's own SIGURG (preemption, through tgkill) may come
	// first from the same sender.
	line, ok := byPID.WaitStdout(t, wait, func(l string) bool { return strings.Contains(l, " SIGUSR1 ") })
	if !ok {
		t.Fatalf("no kill() line; stdout %q", byPID.Stdout())
	}
	f := strings.Fields(line)
	want := []string{strconv.Itoa(sender.Pid), "pbx-sender", "SIGUSR1", strconv.Itoa(victim.Pid), "pbx-victim", "0"}
	if len(f) != 7 || strings.Join(f[1:], " ") != strings.Join(want, " ") {
		t.Errorf("line %q; want TIME %v", line, want)
	}
	if got := byPID.Stdout()[0]; got != "TIME     PID     COMM             SIG          TPID    TCOMM            RESULT" {
		t.Errorf("header %q", got)
	}

	key := `"tpid":` + strconv.Itoa(missing) + ","
	if _, ok := failed.WaitStdout(t, wait, func(l string) bool { return strings.Contains(l, key) }); !ok {
		t.Fatalf("-x: no event for the failed kill(); stdout %q", failed.Stdout())
	}
	time.Sleep(200 * time.Millisecond)
	for _, l := range failed.Stdout() {
		var ev struct {
			PID        int    `json:"pid"`
			Comm       string `json:"comm"`
			Sig        int    `json:"sig"`
			Result     int    `json:"result"`
			ResultName string `json:"result_name"`
			Source     string `json:"source"`
		}
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		if ev.Result >= 0 {
			t.Errorf("-x printed a kill that worked: %q", l)
		}
		if ev.PID == other.Process.Pid && (ev.Comm != "pbx-other" || ev.Sig != 15 || ev.Result != -3 || ev.ResultName != "ESRCH" || ev.Source != "kill") {
			t.Errorf("failed kill event %+v; want pbx-other SIGTERM -3 ESRCH from kill", ev)
		}
	}
	for _, l := range byPID.Stdout()[1:] {
		if !strings.Contains(l, " pbx-sender ") {
			t.Errorf("-p %d let another sender through: %q", sender.Pid, l)
		}
	}
}

// TestLiveTkill: tkill() and tgkill() are seen too, each with its own
// source.
func TestLiveTkill(t *testing.T) {
	victim := proctest.Start(t, proctest.Cmd(t, "pbx-victim", "wait"))
	tool := start(t, "--json", "-s", "CONT")
	sender := proctest.Cmd(t, "pbx-tkill", "tkill", strconv.Itoa(victim.Pid), "18")
	if err := sender.Run(); err != nil {
		t.Fatalf("sender: %v", err)
	}
	seen := map[string]bool{}
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) && !(seen["tkill"] && seen["tgkill"]) {
		tool.WaitStdout(t, 200*time.Millisecond, func(string) bool { return false })
		for _, l := range tool.Stdout() {
			var ev struct {
				PID    int    `json:"pid"`
				TPID   int    `json:"tpid"`
				TComm  string `json:"tcomm"`
				Result int    `json:"result"`
				Source string `json:"source"`
			}
			json.Unmarshal([]byte(l), &ev)
			if ev.PID == sender.Process.Pid && ev.TPID == victim.Pid && ev.TComm == "pbx-victim" && ev.Result == 0 {
				seen[ev.Source] = true
			}
		}
	}
	if !seen["tkill"] || !seen["tgkill"] {
		t.Errorf("sources seen %v, want tkill and tgkill; stdout %q", seen, tool.Stdout())
	}
}
