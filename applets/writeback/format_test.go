package writeback

import (
	"encoding/binary"
	"fmt"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/writeback"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var e bpfobj.WritebackWritebackEvent
	if unsafe.Sizeof(e) != eventSize || unsafe.Offsetof(e.Name) != offName {
		t.Errorf("event %d bytes", unsafe.Sizeof(e))
	}
}

func raw(lat uint64, pages int64, reason, sb uint32, name string) []byte {
	b := make([]byte, eventSize)
	ne := binary.NativeEndian
	ne.PutUint64(b, lat)
	ne.PutUint64(b[8:], uint64(1<<63-1-pages))
	ne.PutUint64(b[16:], uint64(pages))
	ne.PutUint32(b[24:], reason)
	ne.PutUint32(b[28:], sb)
	if lat > 0 {
		ne.PutUint32(b[32:], 1)
	}
	copy(b[offName:], name)
	return b
}

func TestFormatGolden(t *testing.T) {
	now := time.Date(2026, 12, 1, 3, 42, 50, 0, time.Local)
	samples := [][]byte{
		raw(13_000, 0, 3, 253<<20|1, "253:1"),
		raw(64_655_123, 38836, 2, 253<<20|1, "253:1"),
		raw(6_112_000, 11268, 0, 0, "8:0"),
		raw(1_000, -1, 42, 0, "evil\x1b[2J"),
		raw(0, 5, 3, 0, "7:0"), // start not seen: the budget left
	}
	for _, json := range []bool{false, true} {
		var out []byte
		if !json {
			out = append(out, headerLine...)
		}
		for _, s := range samples {
			var e event
			if err := e.decode(s); err != nil {
				t.Fatal(err)
			}
			out = format(out, &e, now, json)
		}
		name := "text"
		if json {
			name = "json"
			golden.JSONLines(t, string(out))
		}
		golden.Check(t, name, string(out))
	}
}

func TestColumns(t *testing.T) {
	var e event
	e.decode(raw(64_655_123, 38836, 2, 0, "253:1"))
	now := time.Date(2026, 1, 1, 3, 43, 4, 0, time.Local)
	if got, want := string(format(nil, &e, now, false)), fmt.Sprintf("03:43:04  %-8s %-8d %-16s %d.%03d\n", "253:1", 38836, "sync", 64, 655); got != want {
		t.Errorf("got %q want %q", got, want)
	}
	if headerLine != fmt.Sprintf("%-9s %-8s %-8s %-16s %s\n", "TIME", "DEVICE", "PAGES", "REASON", "ms") {
		t.Errorf("header %q", headerLine)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"1"}, {"--bogus"}} {
		tool := livetest.Start(t, Applet, args...)
		status, exited := tool.Exited(10 * time.Second)
		if !exited || status != 2 || len(tool.Stderr()) == 0 {
			t.Errorf("%q: exited %v status %d stderr %q", args, exited, status, tool.Stderr())
		}
	}
}
