package vfscount

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

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

// TestLiveCounts: a helper's known file system calls are counted under
// the right vfs functions, exactly, with -p keeping other processes out.
func TestLiveCounts(t *testing.T) {
	livetest.Require(t)
	cmd, release := livetest.StartWaiting(t, "pbxvfsc", "fsops", t.TempDir())
	tool := livetest.Start(t, Applet, "-v", "--json", "-p", strconv.Itoa(cmd.Process.Pid))
	if _, ok := tool.WaitStderr(t, 20*time.Second, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("did not start: %q", tool.Stderr())
	}
	if err := release(); err != nil {
		t.Fatalf("helper: %v", err)
	}
	if status := tool.Stop(); status != 0 {
		t.Fatalf("status %d: %q", status, tool.Stderr())
	}
	out := tool.Stdout()
	if len(out) != 1 {
		t.Fatalf("want one JSON object: %q", out)
	}
	var s struct {
		Counts []struct {
			Addr  string `json:"addr"`
			Func  string `json:"func"`
			Count uint64 `json:"count"`
		} `json:"counts"`
		NotCounted map[string]uint64 `json:"not_counted"`
	}
	if err := json.Unmarshal([]byte(out[0]), &s); err != nil {
		t.Fatal(err)
	}
	got := map[string]uint64{}
	for _, c := range s.Counts {
		got[c.Func] = c.Count
		if c.Addr == "0" {
			t.Errorf("%s without an address", c.Func)
		}
	}
	// The stand-in counts open(O_CREAT) under vfs_create; the kernel
	// creates such files without it (only the mknod goes through it).
	create := uint64(1)
	if strings.Contains(strings.Join(tool.Stderr(), "\n"), "limit: counts system calls") {
		create = 2
	}
	want := map[string]uint64{"vfs_read": 3, "vfs_write": 4, "vfs_fsync_range": 2, "vfs_open": 2, "vfs_create": create, "vfs_unlink": 2, "vfs_mkdir": 2, "vfs_rmdir": 2}
	for f, n := range want {
		if got[f] != n {
			t.Errorf("%s: %d, the helper made %d (all: %v)", f, got[f], n, got)
		}
	}
}
