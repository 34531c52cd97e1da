package sigsnoop

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

type jsonEvent struct {
	PID        int    `json:"pid"`
	Comm       string `json:"comm"`
	Sig        int    `json:"sig"`
	SigName    string `json:"sig_name"`
	TPID       int    `json:"tpid"`
	TComm      string `json:"tcomm"`
	Result     int    `json:"result"`
	ResultName string `json:"result_name"`
	Source     string `json:"source"`
}

func decode(t *testing.T, lines []string) []jsonEvent {
	t.Helper()
	var evs []jsonEvent
	for _, l := range lines {
		var ev jsonEvent
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			t.Fatalf("line %q is not JSON: %v", l, err)
		}
		evs = append(evs, ev)
	}
	return evs
}

// TestLiveUSR1: a helper sends SIGUSR1 to another; sigsnoop -s USR1 shows
// sender, target and result (tp_btf, and the tracefs tracepoint
// fallback), and its in-kernel -s filter lets no other signal through.
func TestLiveUSR1(t *testing.T) {
	for _, tc := range []struct{ name, disable string }{{"best", ""}, {"tracepoint", "tp_btf,raw_tracepoint"}} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.disable != "" && livetest.RerunFresh(t, "PROBEBOX_DISABLE="+tc.disable) {
				return
			}
			livetest.Require(t)
			tool := livetest.Start(t, Applet, "-v", "--json", "-s", "USR1")
			if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
				t.Fatalf("sigsnoop did not start: %q", tool.Stderr())
			}
			victim := proctest.Start(t, proctest.Cmd(t, "pbx-victim", "wait"))
			sender := proctest.Cmd(t, "pbx-sender", "kill", strconv.Itoa(victim.Pid), "10")
			if err := sender.Run(); err != nil {
				t.Fatalf("sender: %v", err)
			}
			key := `"tpid":` + strconv.Itoa(victim.Pid) + ","
			if _, ok := tool.WaitStdout(t, wait, func(l string) bool { return strings.Contains(l, key) }); !ok {
				t.Fatalf("no event for SIGUSR1 to %d; stdout %q", victim.Pid, tool.Stdout())
			}
			var found bool
			for _, ev := range decode(t, tool.Stdout()) {
				if ev.Sig != 10 {
					t.Errorf("-s USR1 let signal %d through: %+v", ev.Sig, ev)
				}
				if ev.TPID == victim.Pid {
					found = true
					want := jsonEvent{PID: sender.Process.Pid, Comm: "pbx-sender", Sig: 10, SigName: "SIGUSR1", TPID: victim.Pid, TComm: "pbx-victim", Result: 0, ResultName: "delivered", Source: "signal_generate"}
					if ev != want {
						t.Errorf("event\n%+v, want\n%+v", ev, want)
					}
				}
			}
			if !found {
				t.Error("no event for the victim")
			}
		})
	}
}
