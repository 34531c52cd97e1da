package readahead

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/livetest"
)

func TestMain(m *testing.M) { livetest.Main(m) }

// TestLiveReadahead: 4 MiB of a loop device read sequentially through its
// page cache after dropping it are brought in by readahead, and used.
func TestLiveReadahead(t *testing.T) {
	livetest.Require(t)
	loop := livetest.LoopDevice(t, 16<<20)
	f, err := os.Open(loop.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED); err != nil {
		t.Fatal(err)
	}
	tool := livetest.Start(t, Applet, "-v", "--json")
	if _, ok := tool.WaitStderr(t, 90*time.Second, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok { // fentry loads are slow under TCG
		t.Fatalf("did not start: %q", tool.Stderr())
	}
	buf := make([]byte, 64<<10)
	for off := int64(0); off < 4<<20; off += int64(len(buf)) {
		if _, err := f.ReadAt(buf, off); err != nil {
			t.Fatal(err)
		}
	}
	if status := tool.Stop(); status != 0 {
		t.Fatalf("status %d: %q", status, tool.Stderr())
	}
	out := tool.Stdout()
	if len(out) != 1 {
		t.Fatalf("want one object: %q", out)
	}
	var s struct {
		Unused, Total uint64
		Histogram     struct {
			Buckets []struct{ Count uint64 } `json:"buckets"`
		} `json:"histogram"`
	}
	if err := json.Unmarshal([]byte(out[0]), &s); err != nil {
		t.Fatal(err)
	}
	var used uint64
	for _, b := range s.Histogram.Buckets {
		used += b.Count
	}
	tracepoints := strings.Contains(strings.Join(tool.Stderr(), "\n"), "using tracepoint readahead:")
	t.Logf("unused %d total %d used %d (tracepoints %v)", s.Unused, s.Total, used, tracepoints)
	if s.Total == 0 || used == 0 || used+s.Unused < s.Total {
		t.Errorf("total %d, unused %d, used %d: want read-ahead pages, some used", s.Total, s.Unused, used)
	}
	// The function set sees one access per batch of pages (as the peers'
	// tool); the tracepoint set sees the reads' ranges, so most are used
	// (the count is machine-wide: other processes' readahead counts too).
	if tracepoints && used*2 < s.Total {
		t.Errorf("%d of %d read-ahead pages used, want most: the test read all of its own", used, s.Total)
	}
}
