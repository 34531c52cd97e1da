package gethostlatency

import (
	"encoding/binary"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/gethostlatency"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/internal/golden"
)

// TestLayout keeps the hand-written decoder in step with the C struct.
func TestLayout(t *testing.T) {
	var e bpfobj.GethostlatencyHostEvent
	if n := unsafe.Sizeof(e); n != eventSize {
		t.Fatalf("struct host_event is %d bytes, decoder assumes %d", n, eventSize)
	}
	for _, f := range []struct {
		name      string
		got, want uintptr
	}{
		{"lat_ns", unsafe.Offsetof(e.LatNs), 8},
		{"cgroup_id", unsafe.Offsetof(e.CgroupId), 16},
		{"ret", unsafe.Offsetof(e.Ret), 24},
		{"pid", unsafe.Offsetof(e.Pid), 32},
		{"tid", unsafe.Offsetof(e.Tid), 36},
		{"func", unsafe.Offsetof(e.Func), 40},
		{"comm", unsafe.Offsetof(e.Comm), 48},
		{"host", unsafe.Offsetof(e.Host), 64},
	} {
		if f.got != f.want {
			t.Errorf("%s at %d, decoder assumes %d", f.name, f.got, f.want)
		}
	}
}

func sample(lat uint64, ret int64, pid, fn uint32, comm, host string) []byte {
	b := make([]byte, eventSize)
	ne := binary.NativeEndian
	ne.PutUint64(b[0:], 9_000_000_000)
	ne.PutUint64(b[8:], lat)
	ne.PutUint64(b[16:], 4242)
	ne.PutUint64(b[24:], uint64(ret))
	ne.PutUint32(b[32:], pid)
	ne.PutUint32(b[36:], pid+1)
	ne.PutUint32(b[40:], fn)
	copy(b[48:64], comm)
	copy(b[64:144], host)
	return b
}

var samples = [][]byte{
	sample(1_234_567, 0, 100, 0, "curl", "example.com"),
	sample(25_000_000_000, -2, 101, 0, "ssh", "nonexistent.invalid"),
	sample(45_000, 1, 102, 1, "ping", "localhost"),
	sample(9_999, 0, 103, 2, "oldapp", "db.internal"),
	sample(1, 0, 104, 0, "evil\x1b[2J", "x\x1b]0;pwned\ay"),
	sample(1, 0, 105, 0, "longhost", strings.Repeat("a", 100)),
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 12, 1, 21, 4, 5, 0, time.Local)
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
	for _, args := range [][]string{{"-p", "0"}, {"-p", "-3"}, {"-p", "x"}, {"-l", ""}, {"-l", "/nonexistent/libc.so.6"}, {"-l", "/proc/self/exe"}, {"--bogus"}, {"extra"}} {
		var out, errb strings.Builder
		status := Applet.Exec(t.Context(), args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		if status != 2 || strings.Count(strings.TrimSpace(errb.String()), "\n") > 0 {
			t.Errorf("%q: status %d, stderr %q; want 2 and one line", args, status, errb.String())
		}
	}
}
