package vfsstat

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/livetest"
)

func TestMain(m *testing.M) { livetest.Main(m) }

func init() {
	livetest.HelperVerb("fsops", func(args []string) int {
		if err := livetest.FSOps(args[0]); err != nil {
			return 1
		}
		return 0
	})
}

// TestLiveCounts: a helper's known file system calls are counted exactly,
// per column, with -p keeping every other process out; -v names the hook
// and, for the syscall stand-in, what it counts.
func TestLiveCounts(t *testing.T) {
	livetest.Require(t)
	cmd, release := livetest.StartWaiting(t, "pbxvfs", "fsops", t.TempDir())
	tool := livetest.Start(t, Applet, "-v", "--json", "-p", strconv.Itoa(cmd.Process.Pid), "1")
	if _, ok := tool.WaitStderr(t, 20*time.Second, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("did not start: %q", tool.Stderr())
	}
	if err := release(); err != nil {
		t.Fatalf("helper: %v", err)
	}
	if status := tool.Stop(); status != 0 {
		t.Fatalf("status %d: %q", status, tool.Stderr())
	}
	got := map[string]uint64{}
	for _, l := range tool.Stdout() {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		for _, c := range columns {
			got[strings.ToLower(c)] += uint64(m[strings.ToLower(c)].(float64))
		}
	}
	stderr := strings.Join(tool.Stderr(), "\n")
	standIn := strings.Contains(stderr, "limit: counts system calls")
	want := maps.Clone(livetest.FSOpsCounts)
	// The stand-in counts open(O_CREAT) as a create; the kernel creates
	// such files without vfs_create (only the mknod goes through it).
	want["create"] = 1
	if standIn {
		want["create"] = 2
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: counted %d, the helper made %d (all: %v; stand-in %v)", k, got[k], n, got, standIn)
		}
	}
	hook := "using raw_tracepoint sys_enter"
	if attach.Running.Supports(attach.Fentry) == nil {
		hook = "fentry vfs_read"
	} else if attach.Running.Supports(attach.Kprobe) == nil {
		hook = "kprobe vfs_read"
	}
	if !strings.Contains(stderr, hook) {
		t.Errorf("-v does not say %q:\n%s", hook, stderr)
	}
}

// TestLiveText: "1 2" prints the header and two lines, and ends; the
// test reads a file meanwhile, so reads are not 0 (the kernel matrix's
// guest is otherwise idle).
func TestLiveText(t *testing.T) {
	livetest.Require(t)
	f := filepath.Join(t.TempDir(), "read-me")
	os.WriteFile(f, []byte("x"), 0o600)
	tool := livetest.Start(t, Applet, "1", "2")
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			default:
				os.ReadFile(f)
				time.Sleep(10 * time.Millisecond)
			}
		}
	}()
	status, exited := tool.Exited(20 * time.Second)
	close(done)
	if !exited || status != 0 {
		t.Fatalf("exited %v status %d: %q", exited, status, tool.Stderr())
	}
	out := tool.Stdout()
	if len(out) != 3 || out[0]+"\n" != header() || len(strings.Fields(out[1])) != 9 || strings.Fields(out[2])[1] == "0" {
		t.Errorf("want the header and two lines of counts, reads not 0:\n%s", strings.Join(out, "\n"))
	}
}
