package oomkill

import (
	"encoding/binary"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/oomkill"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var e bpfobj.OomkillOomEvent
	if unsafe.Sizeof(e) != eventSize || unsafe.Offsetof(e.Fcomm) != 32 || unsafe.Offsetof(e.Tcomm) != 48 {
		t.Fatal("struct oom_event differs from the decoder's layout")
	}
}

func sample(fpid, tpid uint32, pages uint64, kprobe uint32, fcomm, tcomm string) []byte {
	b := make([]byte, eventSize)
	ne := binary.NativeEndian
	ne.PutUint64(b[0:], 123)
	ne.PutUint64(b[8:], pages)
	ne.PutUint32(b[16:], fpid)
	ne.PutUint32(b[20:], tpid)
	ne.PutUint32(b[24:], kprobe)
	copy(b[32:], fcomm)
	copy(b[48:], tcomm)
	return b
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 12, 1, 21, 4, 5, 0, time.Local)
	samples := [][]byte{
		sample(4394, 4394, 55342, 0, "python3", "python3"),
		sample(100, 200, 4096, 1, "kworker/0:1", "java"),
		sample(300, 301, 1, 0, "evil\x1b[2J", "x\x07"),
	}
	for _, js := range []bool{false, true} {
		p := newPrinter(js)
		p.now = func() time.Time { return fixed }
		p.loadavg = func() []byte { return []byte("0.52 0.58 0.59 2/467 12345\n") }
		var out strings.Builder
		var ev event
		for _, s := range samples {
			if err := ev.decode(s); err != nil {
				t.Fatal(err)
			}
			out.Write(p.format(&ev))
		}
		name := map[bool]string{false: "default", true: "json"}[js]
		golden.Check(t, name, out.String())
		if js {
			golden.JSONLines(t, out.String())
		}
		if strings.ContainsAny(out.String(), "\x1b\x07") {
			t.Error("a control byte reached the output")
		}
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"--bogus"}, {"extra"}, {"-p", "1"}} {
		var out, errb strings.Builder
		status := Applet.Exec(t.Context(), args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		if status != 2 || strings.Count(strings.TrimSpace(errb.String()), "\n") > 1 {
			t.Errorf("%q: status %d, stderr %q", args, status, errb.String())
		}
	}
}
