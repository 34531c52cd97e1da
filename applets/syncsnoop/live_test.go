package syncsnoop

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/livetest"
)

func TestMain(m *testing.M) { livetest.Main(m) }

type jsonEvent struct {
	TsNs uint64 `json:"ts_ns"`
	PID  int    `json:"pid"`
	TID  int    `json:"tid"`
	Comm string `json:"comm"`
	Call string `json:"call"`
}

// syncAll makes each call of the sync family once, in this order.
func syncAll(t *testing.T) []string {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "synced"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.Write(make([]byte, 8192))
	fd := int(f.Fd())
	unix.Sync()
	must(t, "fsync", unix.Fsync(fd))
	must(t, "fdatasync", unix.Fdatasync(fd))
	m, err := unix.Mmap(fd, 0, 8192, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(m)
	must(t, "msync", unix.Msync(m, unix.MS_SYNC))
	must(t, "sync_file_range", unix.SyncFileRange(fd, 0, 8192, unix.SYNC_FILE_RANGE_WRITE))
	must(t, "syncfs", unix.Syncfs(fd))
	return syscalls
}

func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// TestLiveCalls: every sync call the test makes is shown, in order, with
// the test's PID, thread and name; -p keeps other processes out.
func TestLiveCalls(t *testing.T) {
	livetest.Require(t)
	self := os.Getpid()
	tool := livetest.Start(t, Applet, "-v", "--json", "-p", strconv.Itoa(self))
	if _, ok := tool.WaitStderr(t, 20*time.Second, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("did not start: %q", tool.Stderr())
	}
	want := syncAll(t)
	tool.WaitStdout(t, 5*time.Second, func(l string) bool { return strings.Contains(l, `"syncfs"`) })
	if status := tool.Stop(); status != 0 {
		t.Fatalf("status %d: %q", status, tool.Stderr())
	}
	var got []string
	for _, l := range tool.Stdout() {
		var e jsonEvent
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		if e.PID != self || e.Comm != livetest.SelfComm(t) || e.TID == 0 || e.TsNs == 0 {
			t.Errorf("event %+v: want PID %d, comm %s", e, self, livetest.SelfComm(t))
		}
		got = append(got, e.Call)
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("calls %v, want %v", got, want)
	}
	if !strings.Contains(strings.Join(tool.Stderr(), "\n"), "tracepoint syscalls:sys_enter_sync") {
		t.Errorf("-v does not name the tracepoints: %q", tool.Stderr())
	}
}

// TestLiveText: a helper process's sync() appears under its name in the
// text layout.
func TestLiveText(t *testing.T) {
	livetest.Require(t)
	tool := livetest.Start(t, Applet, "-v")
	if _, ok := tool.WaitStderr(t, 20*time.Second, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("did not start: %q", tool.Stderr())
	}
	cmd := livetest.Helper(t, "pbxsync", "sync")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("helper: %v %s", err, out)
	}
	line, ok := tool.WaitStdout(t, 5*time.Second, func(l string) bool { return strings.Contains(l, " pbxsync ") })
	tool.Stop()
	if !ok || !strings.HasSuffix(line, " sync") || len(line) < 36 || line[18] != ' ' {
		t.Errorf("no line of pbxsync's sync(): %q", tool.Stdout())
	}
	if out := tool.Stdout(); len(out) == 0 || out[0] != strings.TrimSuffix(headerLine, "\n") {
		t.Errorf("header: %q", out)
	}
}

// The helper verb "sync": one sync(2), from a process of its own name.
func init() { livetest.HelperVerb("sync", func([]string) int { unix.Sync(); return 0 }) }
