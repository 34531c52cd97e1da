package fileslower

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/livetest"
)

func TestMain(m *testing.M) { livetest.Main(m) }

// The helper verb "slowrw FILE": 2 writes of 4 KiB to a new FILE, 3 reads
// of 8 KiB from it, then a read of its stdin (a pipe), which waits until
// the test writes a second line.
func init() {
	livetest.HelperVerb("slowrw", func(args []string) int {
		fd, err := unix.Open(args[0], unix.O_CREAT|unix.O_RDWR|unix.O_TRUNC, 0o600)
		if err != nil {
			return 1
		}
		buf := make([]byte, 8192)
		unix.Write(fd, buf[:4096])
		unix.Write(fd, buf[:4096])
		for i := 0; i < 3; i++ {
			unix.Pread(fd, buf, 0)
		}
		unix.Read(0, buf[:1])
		return 0
	})
}

type jsonEvent struct {
	Comm      string `json:"comm"`
	PID       int    `json:"pid"`
	D         string `json:"d"`
	Bytes     uint64 `json:"bytes"`
	LatencyNs uint64 `json:"latency_ns"`
	File      string `json:"file"`
}

func events(t *testing.T, tool *livetest.Tool) []jsonEvent {
	t.Helper()
	if status := tool.Stop(); status != 0 {
		t.Fatalf("status %d: %q", status, tool.Stderr())
	}
	var out []jsonEvent
	for _, l := range tool.Stdout() {
		var e jsonEvent
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		out = append(out, e)
	}
	return out
}

// TestLiveSlow: with min_ms 0, -p shows exactly the helper's 2 writes and
// 3 reads of its file (not its pipe read); with -a and 200 ms, only its
// read of the pipe, which the test keeps waiting 400 ms.
func TestLiveSlow(t *testing.T) {
	livetest.Require(t)
	f := filepath.Join(t.TempDir(), "pbx-slow")
	cmd, in := livetest.StartWaitingIO(t, "pbxslow", "slowrw", f)
	pid := strconv.Itoa(cmd.Process.Pid)
	all := livetest.Start(t, Applet, "-v", "--json", "-p", pid, "0")
	slow := livetest.Start(t, Applet, "-v", "--json", "-a", "-p", pid, "200")
	for _, tool := range []*livetest.Tool{all, slow} {
		if _, ok := tool.WaitStderr(t, 20*time.Second, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
			t.Fatalf("did not start: %q", tool.Stderr())
		}
	}
	in.Write([]byte("\n"))
	time.Sleep(400 * time.Millisecond)
	in.Write([]byte("\n"))
	if err := cmd.Wait(); err != nil {
		t.Fatalf("helper: %v", err)
	}
	time.Sleep(100 * time.Millisecond)
	var got []string
	for _, e := range events(t, all) {
		if e.PID != cmd.Process.Pid || e.Comm != "pbxslow" || e.File != "pbx-slow" {
			t.Errorf("event %+v", e)
		}
		got = append(got, e.D+strconv.FormatUint(e.Bytes, 10))
	}
	if strings.Join(got, " ") != "W4096 W4096 R8192 R8192 R8192" {
		t.Errorf("min_ms 0: %v, want 2 writes of 4096 and 3 reads of 8192", got)
	}
	s := events(t, slow)
	if len(s) != 1 || s[0].D != "R" || s[0].LatencyNs < uint64(350*time.Millisecond) || s[0].File != "" {
		t.Errorf("-a 200: %+v, want the one pipe read of about 400 ms", s)
	}
}
