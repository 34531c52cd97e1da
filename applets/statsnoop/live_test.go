package statsnoop

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
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
		t.Fatalf("statsnoop did not start: %q", tool.Stderr())
	}
	return tool
}

// TestLiveStat: a helper stats a unique file that exists and one that
// does not. statsnoop -p HELPER --json shows each through fstatat, statx
// and statfs with the right result; statsnoop -x shows only the missing
// one, with ERR 2 (ENOENT).
func TestLiveStat(t *testing.T) {
	dir := t.TempDir()
	present := filepath.Join(dir, fmt.Sprintf("pbx-stat-%d", os.Getpid()))
	if err := os.WriteFile(present, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	missing := present + "-missing"
	h := proctest.Start(t, proctest.Cmd(t, "pbx-stat", "stat", present, missing))
	byPID := start(t, "--json", "-p", strconv.Itoa(h.Pid))
	failed := start(t, "-x")
	if err := h.Continue(); err != nil {
		t.Fatal(err)
	}
	if _, ok := byPID.WaitStdout(t, wait, func(l string) bool { return strings.Contains(l, `"syscall":"statfs"`) && strings.Contains(l, missing) }); !ok {
		t.Fatalf("no statfs event for %s: %q", missing, byPID.Stdout())
	}
	seen := map[string]bool{}
	for _, l := range byPID.Stdout() {
		var ev struct {
			PID     int    `json:"pid"`
			Comm    string `json:"comm"`
			Syscall string `json:"syscall"`
			Ret     int    `json:"ret"`
			Err     int    `json:"err"`
			ErrName string `json:"err_name"`
			Path    string `json:"path"`
		}
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		if ev.PID != h.Pid || ev.Comm != "pbx-stat" {
			t.Errorf("-p %d let another process through: %q", h.Pid, l)
			continue
		}
		switch ev.Path {
		case present:
			if ev.Ret != 0 || ev.Err != 0 {
				t.Errorf("stat of an existing file: %q", l)
			}
			seen[ev.Syscall+" present"] = true
		case missing:
			if ev.Ret != -1 || ev.Err != 2 || ev.ErrName != "ENOENT" {
				t.Errorf("stat of a missing file: %q", l)
			}
			seen[ev.Syscall+" missing"] = true
		}
	}
	for _, sc := range []string{"fstatat", "statx", "statfs"} {
		for _, which := range []string{"present", "missing"} {
			if !seen[sc+" "+which] {
				t.Errorf("no %s event for the %s path; saw %v", sc, which, seen)
			}
		}
	}

	line, ok := failed.WaitStdout(t, wait, func(l string) bool { return strings.HasSuffix(l, " "+missing) })
	if !ok {
		t.Fatalf("-x: no line for %s: %q", missing, failed.Stdout())
	}
	if f := strings.Fields(line); len(f) != 5 || f[0] != strconv.Itoa(h.Pid) || f[1] != "pbx-stat" || f[2] != "-1" || f[3] != "2" {
		t.Errorf("-x line %q; want PID pbx-stat -1 2 PATH", line)
	}
	if got := failed.Stdout()[0]; got != "PID     COMM                 RET  ERR  PATH" {
		t.Errorf("header %q", got)
	}
	for _, l := range failed.Stdout() {
		if strings.HasSuffix(l, " "+present) {
			t.Errorf("-x printed a stat that worked: %q", l)
		}
	}
}
