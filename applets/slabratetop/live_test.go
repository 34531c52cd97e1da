package slabratetop

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

const opens = 400

// The helper verb "opens FILE": open and close FILE 400 times; each open
// allocates a struct file from the "filp" cache.
func init() {
	livetest.HelperVerb("opens", func(args []string) int {
		for i := 0; i < opens; i++ {
			fd, err := unix.Open(args[0], unix.O_RDONLY, 0)
			if err != nil {
				return 1
			}
			unix.Close(fd)
		}
		return 0
	})
}

// TestLiveFilp: on every hook candidate, -p of a helper that opens a file
// 400 times shows at least 400 filp allocations of the cache's object
// size, and only that process's caches.
func TestLiveFilp(t *testing.T) {
	for _, tc := range []struct{ disable, hook string }{
		{"", "using tp_btf kmem_cache_alloc"},
		{"tp_btf", "using raw_tracepoint kmem_cache_alloc"},
		{"tp_btf,raw_tracepoint", "using tracepoint kmem:kmem_cache_alloc"},
	} {
		t.Run("disable="+tc.disable, func(t *testing.T) {
			if tc.disable != "" && livetest.RerunFresh(t, "PROBEBOX_DISABLE="+tc.disable) {
				return
			}
			t.Setenv("PROBEBOX_DISABLE", tc.disable)
			livetest.Require(t)
			f := filepath.Join(t.TempDir(), "opened")
			os.WriteFile(f, []byte("x"), 0o600)
			cmd, release := livetest.StartWaiting(t, "pbxslab", "opens", f)
			tool := livetest.Start(t, Applet, "-v", "--json", "-r", "10240", "-p", strconv.Itoa(cmd.Process.Pid), "3600")
			if _, ok := tool.WaitStderr(t, 20*time.Second, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
				t.Fatalf("did not start: %q", tool.Stderr())
			}
			if err := release(); err != nil {
				t.Fatalf("helper: %v", err)
			}
			if status := tool.Stop(); status != 0 {
				t.Fatalf("status %d: %q", status, tool.Stderr())
			}
			if !strings.Contains(strings.Join(tool.Stderr(), "\n"), tc.hook) {
				t.Errorf("-v does not say %q: %q", tc.hook, tool.Stderr())
			}
			out := tool.Stdout()
			if len(out) != 1 {
				t.Fatalf("want one summary: %q", out)
			}
			var s struct {
				Caches []struct {
					Cache  string `json:"cache"`
					Allocs uint64 `json:"allocs"`
					Bytes  uint64 `json:"bytes"`
				} `json:"caches"`
			}
			if err := json.Unmarshal([]byte(out[0]), &s); err != nil {
				t.Fatal(err)
			}
			// Before 6.2 the tracefs tracepoint names no cache: "?".
			cache := "filp"
			if format, _ := os.ReadFile("/sys/kernel/tracing/events/kmem/kmem_cache_alloc/format"); tc.disable == "tp_btf,raw_tracepoint" && !strings.Contains(string(format), " name;") {
				cache = "?"
			}
			var filp, total uint64
			for _, c := range s.Caches {
				total += c.Allocs
				if c.Cache == cache {
					filp = c.Allocs
					if c.Bytes < c.Allocs*32 || (cache == "filp" && c.Bytes%c.Allocs != 0) {
						t.Errorf("filp: %d bytes for %d allocations", c.Bytes, c.Allocs)
					}
				}
			}
			if filp < opens || total > 50*opens {
				t.Errorf("%s allocations %d (want >= %d), all %d: %+v", cache, filp, opens, total, s.Caches)
			}
		})
	}
}

// TestLiveText: "-C 1 1" prints the loadavg line and header.
func TestLiveText(t *testing.T) {
	livetest.Require(t)
	tool := livetest.Start(t, Applet, "-C", "1", "1")
	status, exited := tool.Exited(20 * time.Second)
	if !exited || status != 0 {
		t.Fatalf("exited %v status %d: %q", exited, status, tool.Stderr())
	}
	out := strings.Join(tool.Stdout(), "\n")
	if !strings.Contains(out, " loadavg: ") || !strings.Contains(out, strings.TrimSuffix(headerLine, "\n")) {
		t.Errorf("output:\n%s", out)
	}
}
