package memtrim

import (
	"os"
	"strings"
	"testing"

	"github.com/probebox/probebox/core/procmaps"
)

func TestPrivateReadOnly(t *testing.T) {
	const exe = "/usr/bin/probe box"
	for _, tc := range []struct {
		line       string
		start, end uint64
		ok         bool
	}{
		{"00400000-00c12000 r-xp 00000000 fe:00 10103105   /usr/bin/probe box", 0x400000, 0xc12000, true},
		{"00c12000-01476000 r--p 00812000 fe:00 10103105   /usr/bin/probe box", 0xc12000, 0x1476000, true},
		// Writable: the private copy would be lost.
		{"01476000-0186d000 rw-p 01076000 fe:00 10103105   /usr/bin/probe box", 0, 0, false},
		// Shared mappings and other files are not ours to drop.
		{"7f00-8f00 r--s 00000000 00:10 1038   anon_inode:bpf-map", 0, 0, false},
		{"00400000-00c12000 r-xp 00000000 fe:00 10103105   /usr/bin/other", 0, 0, false},
		{"0186d000-038b2000 rw-p 00000000 00:00 0", 0, 0, false},
		{"zz-00c12000 r-xp 00000000 fe:00 1   /usr/bin/probe box", 0, 0, false},
	} {
		var start, end uint64
		m, ok := procmaps.ParseLine(tc.line)
		if ok = ok && privateReadOnly(&m, exe); ok {
			start, end = m.Start, m.End
		}
		if start != tc.start || end != tc.end || ok != tc.ok {
			t.Errorf("%q: got %#x-%#x %v, want %#x-%#x %v", tc.line, start, end, ok, tc.start, tc.end, tc.ok)
		}
	}
}

// TestCodeUnmaps: the test binary's resident file pages drop (and
// the test runs on: what it needs faults back in).
func TestCodeUnmaps(t *testing.T) {
	before := statusKB(t, "RssFile:")
	Code()
	after := statusKB(t, "RssFile:")
	if after >= before {
		t.Errorf("RssFile %d KiB before, %d KiB after: nothing was unmapped", before, after)
	}
}

func statusKB(t *testing.T, key string) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, key); ok {
			var n int
			for _, c := range strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")) {
				n = n*10 + int(c-'0')
			}
			return n
		}
	}
	t.Fatalf("no %s in /proc/self/status", key)
	return 0
}
