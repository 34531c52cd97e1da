package exporter

import (
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/livetest"
)

// TestLivePageCache: 4 MiB of a loop device read after dropping its page
// cache are added to the cache (misses) and accessed; read again,
// accessed again; 64 KiB written through the cache dirty its buffers and
// pages. The counters grow by at least that (the machine only adds). On
// the filemap tracepoints they count pages; the function hooks count
// calls (one per batch or folio, as the peers' tool does), so there only
// growth is checked.
func TestLivePageCache(t *testing.T) {
	s := startScraper(t, "cachestat")
	samples := s.scrape(t)
	var hooks string
	for _, x := range samples {
		if x.name == "probebox_collector_up" && x.labels["collector"] == "cachestat" {
			hooks = x.labels["hooks"]
		}
	}
	perPage := strings.Contains(hooks, "mm_filemap_get_pages")
	t.Logf("hooks %q, counting pages: %v", hooks, perPage)

	loop := livetest.LoopDevice(t, 16<<20)
	f, err := os.OpenFile(loop.Path, os.O_RDWR, 0)
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
	added := sel{"probebox_page_cache_additions_total", nil}
	accessed := sel{"probebox_page_cache_accesses_total", nil}
	buffers := sel{"probebox_page_cache_dirtied_buffers_total", nil}
	dirtied := sel{"probebox_page_cache_dirtied_pages_total", nil}
	base := map[string]float64{}
	for _, x := range []sel{added, accessed, buffers, dirtied} {
		base[x.name] = x.sum(samples)
	}
	readAll()
	want := map[string]float64{added.name: 1, accessed.name: 1}
	if perPage {
		want = map[string]float64{added.name: pages, accessed.name: pages}
	}
	s.waitFor(t, 10*time.Second, atLeast(added, base[added.name], want[added.name]))
	s.waitFor(t, 10*time.Second, atLeast(accessed, base[accessed.name], want[accessed.name]))

	// Warm: the same pages accessed again.
	mid := accessed.sum(s.scrape(t))
	readAll()
	s.waitFor(t, 10*time.Second, atLeast(accessed, mid, want[accessed.name]))

	// 16 pages written through the cache, past what was read.
	if _, err := f.WriteAt(make([]byte, 64<<10), 8<<20); err != nil {
		t.Fatal(err)
	}
	s.waitFor(t, 10*time.Second, atLeast(buffers, base[buffers.name], 16))
	s.waitFor(t, 10*time.Second, atLeast(dirtied, base[dirtied.name], 1))
	f.Sync()
}
