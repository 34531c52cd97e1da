package bashreadline

import (
	"encoding/binary"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/bashreadline"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/internal/golden"
)

// TestLayout keeps the hand-written decoder in step with the C struct.
func TestLayout(t *testing.T) {
	var e bpfobj.BashreadlineLineEvent
	if n := unsafe.Sizeof(e); n != eventSize {
		t.Fatalf("struct line_event is %d bytes, decoder assumes %d", n, eventSize)
	}
	for _, f := range []struct {
		name      string
		got, want uintptr
	}{
		{"cgroup_id", unsafe.Offsetof(e.CgroupId), 8},
		{"pid", unsafe.Offsetof(e.Pid), 16},
		{"uid", unsafe.Offsetof(e.Uid), 20},
		{"comm", unsafe.Offsetof(e.Comm), 24},
		{"line", unsafe.Offsetof(e.Line), 40},
	} {
		if f.got != f.want {
			t.Errorf("%s at %d, decoder assumes %d", f.name, f.got, f.want)
		}
	}
}

func sample(pid uint32, line string) []byte {
	b := make([]byte, eventSize)
	ne := binary.NativeEndian
	ne.PutUint64(b[0:], 5_000_000_000)
	ne.PutUint64(b[8:], 99)
	ne.PutUint32(b[16:], pid)
	ne.PutUint32(b[20:], 1000)
	copy(b[24:40], "bash")
	copy(b[40:], line)
	return b
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 12, 1, 21, 4, 5, 0, time.Local)
	samples := [][]byte{
		sample(1234, "ls -l /tmp"),
		sample(1234, ""),
		sample(5678, "echo \x1b]0;owned\x07 \x1b[2J"),
		sample(5678, "grep 'ünïcode' file | wc -l"),
		sample(42, strings.Repeat("x", 300)),
	}
	for _, tt := range []struct {
		name string
		cfg  config
	}{{"default", config{}}, {"json", config{json: true}}} {
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
			if strings.ContainsRune(out.String(), 0x1b) || strings.ContainsRune(out.String(), 0x07) {
				t.Error("a control byte reached the output")
			}
		})
	}
}

func TestDecodeShort(t *testing.T) {
	var ev event
	if err := ev.decode(make([]byte, eventSize-1)); err == nil {
		t.Fatal("a short sample decoded")
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-p", "0"}, {"-p", "x"}, {"-p", "1073741824"}, {"-s", ""}, {"-s", "/nonexistent/libreadline.so.8"}, {"-s", "/proc/self/exe"}, {"--bogus"}, {"extra"}} {
		var out, errb strings.Builder
		status := Applet.Exec(t.Context(), args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		if status != 2 || strings.Count(strings.TrimSpace(errb.String()), "\n") > 0 {
			t.Errorf("%q: status %d, stderr %q; want 2 and one line", args, status, errb.String())
		}
	}
}
