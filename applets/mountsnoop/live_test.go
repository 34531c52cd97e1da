package mountsnoop

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
		t.Fatalf("mountsnoop did not start: %q", tool.Stderr())
	}
	return tool
}

type jsonEvent struct {
	PID      int    `json:"pid"`
	Comm     string `json:"comm"`
	MntNS    uint64 `json:"mnt_ns"`
	Op       string `json:"op"`
	Ret      int    `json:"ret"`
	Source   string `json:"source"`
	Target   string `json:"target"`
	FS       string `json:"fs"`
	Data     string `json:"data"`
	Flags    string `json:"flags"`
	Cmd      string `json:"cmd"`
	Key      string `json:"key"`
	Value    string `json:"value"`
	Attr     string `json:"attr_flags"`
	ToPath   string `json:"to_path"`
	FromPath string `json:"from_path"`
}

// TestLiveTmpfs: a helper in its own private mount namespace mounts a
// uniquely named tmpfs with mount(2) and with fsopen/fsconfig/fsmount/
// move_mount, and unmounts both. mountsnoop -p HELPER shows every call
// with its decoded flags, the namespace (not ours) and result 0; the text
// line has the peer's mount("src", "dst", "fs", FLAGS, "data") = 0 form.
func TestLiveTmpfs(t *testing.T) {
	dir := t.TempDir()
	src := fmt.Sprintf("pbx-tmpfs-%d", os.Getpid())
	h := proctest.Start(t, proctest.Cmd(t, "pbx-mount", "mount", dir, src))
	js := start(t, "--json", "-p", strconv.Itoa(h.Pid))
	text := start(t, "-p", strconv.Itoa(h.Pid))
	if err := h.Continue(); err != nil {
		t.Fatalf("helper: %v", err)
	}
	var ourNS syscall.Stat_t
	syscall.Stat("/proc/self/ns/mnt", &ourNS)

	wantOps := []string{"MOUNT", "UMOUNT", "FSOPEN", "FSCONFIG", "FSCONFIG", "FSMOUNT", "MOVE_MOUNT", "UMOUNT"}
	n := 0 // the match function runs under the tool's lock: count here
	if _, ok := js.WaitStdout(t, wait, func(string) bool { n++; return n >= len(wantOps) }); !ok {
		t.Fatalf("want %d events, got %q", len(wantOps), js.Stdout())
	}
	var evs []jsonEvent
	for _, l := range js.Stdout() {
		var ev jsonEvent
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		evs = append(evs, ev)
	}
	for i, ev := range evs {
		if i >= len(wantOps) || ev.Op != wantOps[i] || ev.Ret < 0 || ev.PID != h.Pid || ev.Comm != "pbx-mount" {
			t.Errorf("event %d %+v; want op %v with ret >= 0 from %d", i, ev, wantOps, h.Pid)
		}
		if ev.MntNS == 0 || ev.MntNS == ourNS.Ino {
			t.Errorf("event %d in mount namespace %d; want the helper's own, not ours (%d)", i, ev.MntNS, ourNS.Ino)
		}
	}
	if len(evs) != len(wantOps) {
		t.Fatalf("events %+v", evs)
	}
	m := evs[0]
	if m.Source != src || m.Target != dir || m.FS != "tmpfs" || m.Data != "size=1m" || m.Flags != "MS_NOSUID | MS_NODEV" {
		t.Errorf("mount event %+v", m)
	}
	if u := evs[1]; u.Target != dir || u.Flags != "MNT_DETACH" {
		t.Errorf("umount event %+v", u)
	}
	if c := evs[3]; c.Cmd != "FSCONFIG_SET_STRING" || c.Key != "size" || c.Value != "2m" {
		t.Errorf("fsconfig event %+v", c)
	}
	if f := evs[5]; f.Flags != "FSMOUNT_CLOEXEC" || f.Attr != "MOUNT_ATTR_NOSUID" {
		t.Errorf("fsmount event %+v", f)
	}
	if mv := evs[6]; mv.ToPath != dir || mv.Flags != "MOVE_MOUNT_F_EMPTY_PATH" {
		t.Errorf("move_mount event %+v", mv)
	}

	want := fmt.Sprintf(`mount("%s", "%s", "tmpfs", MS_NOSUID | MS_NODEV, "size=1m") = 0`, src, dir)
	line, ok := text.WaitStdout(t, wait, func(l string) bool { return strings.Contains(l, "mount(") })
	if !ok || !strings.HasSuffix(line, want) || !strings.HasPrefix(line, "pbx-mount ") {
		t.Errorf("text line %q; want pbx-mount ... %s", line, want)
	}
}
