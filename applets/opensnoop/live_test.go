package opensnoop

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/livetest"
)

const wait = 10 * time.Second

func start(t *testing.T, args ...string) *livetest.Tool {
	t.Helper()
	livetest.Require(t)
	tool := livetest.Start(t, Applet, append([]string{"-v", "--json"}, args...)...)
	if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("opensnoop did not start: %q", tool.Stderr())
	}
	return tool
}

type jsonEvent struct {
	PID  int    `json:"pid"`
	UID  int    `json:"uid"`
	Comm string `json:"comm"`
	FD   int    `json:"fd"`
	Err  int    `json:"err"`
	Path string `json:"path"`
}

func uniquePath(t *testing.T) string {
	return filepath.Join(t.TempDir(), fmt.Sprintf("pbx-open-%d", rand.Uint32()))
}

func waitPath(t *testing.T, tool *livetest.Tool, path string) (jsonEvent, bool) {
	t.Helper()
	line, ok := tool.WaitStdout(t, wait, func(l string) bool { return strings.Contains(l, `"path":"`+path+`"`) })
	var ev jsonEvent
	if ok {
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatal(err)
		}
	}
	return ev, ok
}

func seen(tool *livetest.Tool, path string) bool {
	for _, l := range tool.Stdout() {
		if strings.Contains(l, `"path":"`+path+`"`) {
			return true
		}
	}
	return false
}

// TestLiveOpens: a successful and a failed open by the test itself, with
// the arguments kept from entry to exit in task storage where the kernel
// has it (stash.bpf.h) and in the thread-id hash (the fallback, forced).
func TestLiveOpens(t *testing.T) {
	for _, tc := range []struct {
		name, disable, want string
	}{
		{"probed", "", "per-thread state in "},
		{"hash", "task_storage", "per-thread state in a hash by thread id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.disable != "" {
				t.Setenv(attach.DisableEnv, tc.disable)
			}
			// Written before the tool starts: its open for writing is
			// not one to match (its fd may differ from the read's).
			exists, missing := uniquePath(t), uniquePath(t)
			os.WriteFile(exists, []byte("x"), 0o644)
			tool := start(t, "-p", strconv.Itoa(os.Getpid()))
			f, err := os.Open(exists)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			os.Open(missing)
			ev, ok := waitPath(t, tool, exists)
			if !ok || ev.PID != os.Getpid() || ev.FD != int(f.Fd()) || ev.Err != 0 {
				t.Errorf("existing file: %+v (found %v), want pid %d fd %d", ev, ok, os.Getpid(), f.Fd())
			}
			ev, ok = waitPath(t, tool, missing)
			if !ok || ev.PID != os.Getpid() || ev.FD != -1 || ev.Err != int(syscall.ENOENT) {
				t.Errorf("missing file: %+v (found %v)", ev, ok)
			}
			mode := ""
			for _, l := range tool.Stderr() {
				if strings.Contains(l, "per-thread state in ") {
					mode = l
				}
			}
			if !strings.Contains(mode, tc.want) {
				t.Errorf("-v says %q, want %q", mode, tc.want)
			}
			t.Log(mode)
		})
	}
}

func TestLiveFailedOnly(t *testing.T) {
	tool := start(t, "-x", "-p", strconv.Itoa(os.Getpid()))
	exists, missing := uniquePath(t), uniquePath(t)
	os.WriteFile(exists, nil, 0o644)
	if f, err := os.Open(exists); err == nil {
		f.Close()
	}
	os.Open(missing)
	if _, ok := waitPath(t, tool, missing); !ok {
		t.Fatal("-x: failure not shown")
	}
	if seen(tool, exists) {
		t.Error("-x showed a successful open")
	}
}

// TestLivePIDFilter: -p excludes another process's opens.
func TestMain(m *testing.M) { livetest.Main(m) }

func TestLivePIDFilter(t *testing.T) {
	tool := start(t, "-p", strconv.Itoa(os.Getpid()))
	other, mine := uniquePath(t), uniquePath(t)
	livetest.Helper(t, "pbxcat", "open", other).Run()
	os.Open(mine)
	if _, ok := waitPath(t, tool, mine); !ok {
		t.Fatal("own open not shown")
	}
	if seen(tool, other) {
		t.Error("-p let another process's open through")
	}
}

func TestLiveUIDAndName(t *testing.T) {
	tool := start(t, "-u", "65534", "-n", "pbxopen")
	asNobody, asRoot := uniquePath(t), uniquePath(t)
	livetest.Helper(t, "pbxopener", "open", asRoot).Run()
	cmd := livetest.Helper(t, "pbxopener", "open", asNobody)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	if err := cmd.Run(); err != nil {
		t.Fatalf("helper as nobody: %v", err)
	}
	livetest.Helper(t, "pbxother", "open", asNobody+"-other").Run()
	ev, ok := waitPath(t, tool, asNobody)
	if !ok || ev.UID != 65534 || ev.Comm != "pbxopener" {
		t.Fatalf("nobody's open: %+v, found %v", ev, ok)
	}
	if seen(tool, asRoot) || seen(tool, asNobody+"-other") {
		t.Error("-u/-n let an open through")
	}
}

// TestLiveFullPath: -F makes a cwd-relative open absolute.
func TestLiveFullPath(t *testing.T) {
	tool := start(t, "-F", "-p", strconv.Itoa(os.Getpid()))
	name := fmt.Sprintf("pbx-relative-%d", rand.Uint32())
	os.Open(name) // relative to the test's working directory
	cwd, _ := os.Getwd()
	if _, ok := waitPath(t, tool, filepath.Join(cwd, name)); !ok {
		t.Errorf("-F: no absolute path for %s in %q", name, tool.Stdout())
	}
}
