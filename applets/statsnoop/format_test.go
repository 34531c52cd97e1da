package statsnoop

import (
	"encoding/binary"
	"strings"
	"testing"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/statsnoop"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var e bpfobj.StatsnoopStatEvent
	if unsafe.Sizeof(e) != eventSize || unsafe.Offsetof(e.Comm) != 24 || unsafe.Offsetof(e.Path) != headerSize {
		t.Fatal("struct stat_event differs from the decoder's layout")
	}
}

func sample(tsMs uint64, pid uint32, ret int32, sc uint32, comm, path string) []byte {
	b := make([]byte, eventSize)
	ne := binary.NativeEndian
	ne.PutUint64(b[0:], tsMs*1_000_000)
	ne.PutUint32(b[8:], pid)
	ne.PutUint32(b[12:], pid)
	ne.PutUint32(b[16:], uint32(ret))
	ne.PutUint32(b[20:], sc)
	copy(b[24:40], comm)
	copy(b[headerSize:], path)
	return b
}

var samples = [][]byte{
	sample(1000, 311, 0, 3, "ls", "/etc/passwd"),
	sample(1001, 311, -2, 2, "ls", "/nonexistent"),
	sample(1250, 412, -13, 0, "df", "/root/secret"),
	sample(2000, 500, 0, 4, "evil\x1b]0;x\x07", "line\nbreak\x1b[2J"),
}

func TestFormatGolden(t *testing.T) {
	for _, tt := range []struct {
		name string
		cfg  config
	}{
		{"default", config{}},
		{"timestamp", config{timestamp: true}},
		{"json", config{json: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := newPrinter(&tt.cfg)
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
			if strings.ContainsAny(out.String(), "\x1b\x07") {
				t.Error("a control byte reached the output")
			}
		})
	}
}

func TestDecodeShort(t *testing.T) {
	var ev event
	if ev.decode(make([]byte, eventSize-1)) == nil {
		t.Fatal("short sample decoded")
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-p", "0"}, {"-p", "x"}, {"--bogus"}, {"extra"}} {
		var out, errb strings.Builder
		status := Applet.Exec(t.Context(), args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		if status != 2 || strings.Count(strings.TrimSpace(errb.String()), "\n") > 1 {
			t.Errorf("%q: status %d, stderr %q", args, status, errb.String())
		}
	}
}
