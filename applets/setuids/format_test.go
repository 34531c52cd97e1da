package setuids

import (
	"encoding/binary"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/setuids"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var e bpfobj.SetuidsSetidEvent
	if unsafe.Sizeof(e) != eventSize || unsafe.Offsetof(e.Args) != 32 || unsafe.Offsetof(e.Comm) != 48 {
		t.Fatal("struct setid_event differs from the decoder's layout")
	}
}

func sample(pid, uid, sc uint32, ret int32, comm string, args ...int32) []byte {
	b := make([]byte, eventSize)
	ne := binary.NativeEndian
	ne.PutUint32(b[8:], pid)
	ne.PutUint32(b[12:], pid)
	ne.PutUint32(b[16:], uid)
	ne.PutUint32(b[24:], sc)
	ne.PutUint32(b[28:], uint32(ret))
	for i, a := range args {
		ne.PutUint32(b[32+4*i:], uint32(a))
	}
	copy(b[48:], comm)
	return b
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 12, 1, 21, 4, 5, 0, time.Local)
	samples := [][]byte{
		sample(21785, 1000, 3, 0, "ssh", -1, 1000, -1),
		sample(21787, 122, 0, -1, "sshd", 0),
		sample(21786, 0, 1, 0, "sshd", 0),
		sample(300, 0, 6, 0, "su", 5, 5),
		sample(301, 0, 7, -22, "evil\x1b[2J", 1, 2, 3),
		sample(302, 0, 5, 33, "nginx", 0),
	}
	for _, js := range []bool{false, true} {
		p := newPrinter(js)
		p.now = func() time.Time { return fixed }
		var out strings.Builder
		if !js {
			out.Write(p.header())
		}
		var ev event
		for _, s := range samples {
			if err := ev.decode(s); err != nil {
				t.Fatal(err)
			}
			out.Write(p.format(&ev))
		}
		golden.Check(t, map[bool]string{false: "default", true: "json"}[js], out.String())
		if js {
			golden.JSONLines(t, out.String())
		}
		if strings.ContainsRune(out.String(), 0x1b) {
			t.Error("an escape byte reached the output")
		}
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-p", "0"}, {"--bogus"}, {"extra"}} {
		var out, errb strings.Builder
		status := Applet.Exec(t.Context(), args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		if status != 2 || strings.Count(strings.TrimSpace(errb.String()), "\n") > 1 {
			t.Errorf("%q: status %d, stderr %q", args, status, errb.String())
		}
	}
}
