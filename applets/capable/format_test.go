package capable

import (
	"encoding/binary"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/capable"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var e bpfobj.CapableCapEvent
	if unsafe.Sizeof(e) != eventSize || unsafe.Offsetof(e.Cap) != 28 || unsafe.Offsetof(e.Insetid) != 40 || unsafe.Offsetof(e.Comm) != 48 {
		t.Fatal("struct cap_event differs from the decoder's layout")
	}
}

func sample(pid, uid uint32, cap, ret, audit, insetid int32, comm string) []byte {
	b := make([]byte, eventSize)
	ne := binary.NativeEndian
	ne.PutUint64(b[0:], 1_000)
	ne.PutUint64(b[8:], 77)
	ne.PutUint32(b[16:], pid)
	ne.PutUint32(b[20:], pid+1)
	ne.PutUint32(b[24:], uid)
	ne.PutUint32(b[28:], uint32(cap))
	ne.PutUint32(b[32:], uint32(ret))
	ne.PutUint32(b[36:], uint32(audit))
	ne.PutUint32(b[40:], uint32(insetid))
	copy(b[48:], comm)
	return b
}

var samples = [][]byte{
	sample(100, 0, 21, 0, 1, 0, "mount"),
	sample(101, 1000, 12, -1, 1, 0, "ip"),
	sample(102, 0, 4, 0, 0, 1, "chmod"),
	sample(103, 0, 39, 0, -1, -1, "bpftool"),
	sample(104, 0, 99, -1, -1, -1, "evil\x1b[2J"),
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 12, 1, 21, 4, 5, 0, time.Local)
	for _, tt := range []struct {
		name string
		cfg  config
	}{
		{"default", config{}},
		{"extra", config{extra: true}},
		{"json", config{json: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := newPrinter(&tt.cfg)
			p.now = func() time.Time { return fixed }
			var out strings.Builder
			if !tt.cfg.json {
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
			if tt.cfg.json {
				golden.JSONLines(t, out.String())
			}
			if strings.ContainsRune(out.String(), 0x1b) {
				t.Error("an escape byte reached the output")
			}
		})
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-p", "0"}, {"-u", "bogus"}, {"-u"}, {"--bogus"}, {"extra"}} {
		var out, errb strings.Builder
		status := Applet.Exec(t.Context(), args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		if status != 2 || strings.Count(strings.TrimSpace(errb.String()), "\n") > 1 {
			t.Errorf("%q: status %d, stderr %q", args, status, errb.String())
		}
	}
}
