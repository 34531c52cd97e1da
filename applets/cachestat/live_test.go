package cachestat

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/livetest"
)

func TestMain(m *testing.M) { livetest.Main(m) }

type jsonStats struct {
	Time     string  `json:"time"`
	Hits     int64   `json:"hits"`
	Misses   int64   `json:"misses"`
	Dirties  int64   `json:"dirties"`
	HitRatio float64 `json:"hit_ratio"`
	Buffers  float64 `json:"buffers_mb"`
	Cached   float64 `json:"cached_mb"`
}

// measure runs cachestat -p (this process) around fn and returns its one
// summary, printed at Ctrl-C, and its stderr.
func measure(t *testing.T, fn func()) (jsonStats, string) {
	t.Helper()
	tool := livetest.Start(t, Applet, "-v", "--json", "-p", strconv.Itoa(os.Getpid()), "3600")
	if _, ok := tool.WaitStderr(t, 20*time.Second, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("did not start: %q", tool.Stderr())
	}
	fn()
	if status := tool.Stop(); status != 0 {
		t.Fatalf("status %d: %q", status, tool.Stderr())
	}
	out := tool.Stdout()
	if len(out) != 1 {
		t.Fatalf("want one summary: %q", out)
	}
	var s jsonStats
	if err := json.Unmarshal([]byte(out[0]), &s); err != nil {
		t.Fatal(err)
	}
	return s, strings.Join(tool.Stderr(), "\n")
}

// TestLiveMissThenHit: 4 MiB of a loop device read through its page cache
// after dropping it (posix_fadvise DONTNEED) are misses; read again, hits.
// The function sets count calls (as the peers' tool does on these
// kernels: an access per batch of pages, or two per page), the tracepoint
// set pages, so page counts and a cold ratio near 0 are checked with the
// tracepoints only.
func TestLiveMissThenHit(t *testing.T) {
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
	const size, pages = 4 << 20, 1024
	readAll := func() {
		buf := make([]byte, 64<<10)
		for off := int64(0); off < size; off += int64(len(buf)) {
			if _, err := f.ReadAt(buf, off); err != nil {
				t.Fatal(err)
			}
		}
	}
	cold, stderr := measure(t, readAll)
	warm, _ := measure(t, readAll)
	pagesCounted := strings.Contains(stderr, "using tp_btf mm_filemap_get_pages")
	t.Logf("cold %+v, warm %+v, per page: %v", cold, warm, pagesCounted)
	if warm.Hits == 0 || warm.HitRatio < 90 || warm.Misses > pages/4 {
		t.Errorf("second read: %+v, want hits, few misses and a hit ratio near 100", warm)
	}
	if pagesCounted {
		if cold.HitRatio > 10 || cold.Misses < pages || warm.Hits < pages-pages/32 {
			t.Errorf("by page: cold %+v (want >= %d misses, a hit ratio near 0), warm %+v (want about %d hits)", cold, pages, warm, pages)
		}
	} else if cold.Misses < pages/32 || cold.HitRatio >= warm.HitRatio || cold.Hits+cold.Misses < pages/16 {
		// The function set counts calls, as bcc's formula does: every
		// folio added is a miss, every mark of an accessed folio an
		// access, and the kernel may mark a page more than once per read
		// (arm64 6.1: about twice, a cold ratio of 57%).
		t.Errorf("by call: cold %+v, warm %+v: want the cold read's misses and a lower hit ratio than the warm one's", cold, warm)
	}
	if cold.Cached <= 0 {
		t.Errorf("cached_mb %v", cold.Cached)
	}
}

// TestLiveText: "-T 1 2" prints the header and two lines, and ends.
func TestLiveText(t *testing.T) {
	livetest.Require(t)
	tool := livetest.Start(t, Applet, "-T", "1", "2")
	status, exited := tool.Exited(20 * time.Second)
	if !exited || status != 0 {
		t.Fatalf("exited %v status %d: %q", exited, status, tool.Stderr())
	}
	out := tool.Stdout()
	if len(out) != 3 || out[0]+"\n" != header(true) || len(strings.Fields(out[1])) != 7 || !strings.HasSuffix(strings.Fields(out[1])[4], "%") {
		t.Errorf("output:\n%s", strings.Join(out, "\n"))
	}
}
