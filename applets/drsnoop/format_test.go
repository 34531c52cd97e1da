package drsnoop

import (
	"encoding/binary"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/drsnoop"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var e bpfobj.DrsnoopReclaimEvent
	if unsafe.Sizeof(e) != eventSize || unsafe.Offsetof(e.Pid) != 32 || unsafe.Offsetof(e.Comm) != 48 {
		t.Fatal("struct reclaim_event differs from the decoder's layout")
	}
}

func sample(tid uint32, latNs, pages, free uint64, memcg uint32, comm string) []byte {
	b := make([]byte, eventSize)
	ne := binary.NativeEndian
	ne.PutUint64(b[8:], latNs)
	ne.PutUint64(b[16:], pages)
	ne.PutUint64(b[24:], free)
	ne.PutUint32(b[32:], tid)
	ne.PutUint32(b[36:], tid)
	ne.PutUint32(b[40:], memcg)
	copy(b[48:], comm)
	return b
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 12, 1, 21, 4, 5, 0, time.Local)
	samples := [][]byte{
		sample(2800, 13_293_000, 1, 1000, 1, "dd"),
		sample(2801, 65_889_123, 262, 900, 0, "java"),
		sample(2802, 87_000, 32, 0, 0, "evil\x1b[2J"),
	}
	for _, tt := range []struct {
		name           string
		json, extended bool
	}{{"default", false, false}, {"extended", false, true}, {"json", true, true}} {
		p := newPrinter(tt.json, tt.extended, 4096)
		p.now = func() time.Time { return fixed }
		var out strings.Builder
		if !tt.json {
			out.Write(p.header())
		}
		var ev event
		for _, s := range samples {
			if err := ev.decode(s); err != nil {
				t.Fatal(err)
			}
			out.Write(p.format(&ev))
		}
		golden.Check(t, tt.name, out.String())
		if tt.json {
			golden.JSONLines(t, out.String())
		}
		if strings.ContainsRune(out.String(), 0x1b) {
			t.Error("an escape byte reached the output")
		}
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-p", "0"}, {"-t", "-2"}, {"-d", "0"}, {"--bogus"}, {"extra"}} {
		var out, errb strings.Builder
		status := Applet.Exec(t.Context(), args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		if status != 2 || strings.Count(strings.TrimSpace(errb.String()), "\n") > 1 {
			t.Errorf("%q: status %d, stderr %q", args, status, errb.String())
		}
	}
}
