package exitsnoop

import (
	"encoding/binary"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/exitsnoop"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/internal/golden"
)

// TestLayout keeps the hand-written decoder in step with the C struct.
func TestLayout(t *testing.T) {
	var e bpfobj.ExitsnoopExitEvent
	if n := unsafe.Sizeof(e); n != eventSize {
		t.Fatalf("struct exit_event is %d bytes, decoder assumes %d", n, eventSize)
	}
	for _, f := range []struct {
		name      string
		got, want uintptr
	}{
		{"exit_ns", unsafe.Offsetof(e.ExitNs), 8},
		{"pid", unsafe.Offsetof(e.Pid), 16},
		{"exit_code", unsafe.Offsetof(e.ExitCode), 28},
		{"uid", unsafe.Offsetof(e.Uid), 32},
		{"cgroup_id", unsafe.Offsetof(e.CgroupId), 40},
		{"comm", unsafe.Offsetof(e.Comm), 48},
	} {
		if f.got != f.want {
			t.Errorf("%s at %d, decoder assumes %d", f.name, f.got, f.want)
		}
	}
}

func sample(comm string, pid, ppid, tid, code uint32, ageNs uint64) []byte {
	b := make([]byte, eventSize)
	ne := binary.NativeEndian
	ne.PutUint64(b[0:], 1_000_000_000)
	ne.PutUint64(b[8:], 1_000_000_000+ageNs)
	ne.PutUint32(b[16:], pid)
	ne.PutUint32(b[20:], tid)
	ne.PutUint32(b[24:], ppid)
	ne.PutUint32(b[28:], code)
	ne.PutUint32(b[32:], 1000)
	ne.PutUint64(b[40:], 4242)
	copy(b[48:], comm)
	return b
}

var samples = [][]byte{
	sample("true", 100, 1, 100, 0, 1_230_000),
	sample("false", 101, 1, 101, 1<<8, 25_000_000),
	sample("sleep", 102, 1, 102, 9, 12_345_000_000),
	sample("crash", 103, 50, 103, 11|0x80, 500_000_000),
	sample("worker", 104, 1, 105, 3<<8, 700_000_000_000),
	sample("evil\x1b[2Jname", 106, 1, 106, 15, 0),
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 12, 1, 21, 4, 5, 0, time.Local)
	for _, tt := range []struct {
		name string
		cfg  config
	}{
		{"default", config{}},
		{"timestamp", config{timestamp: true}},
		{"json", config{json: true}},
		{"json_timestamp", config{json: true, timestamp: true}},
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

func TestDecodeShort(t *testing.T) {
	var ev event
	if err := ev.decode(make([]byte, eventSize-1)); err == nil {
		t.Fatal("a short sample decoded")
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-p", "0"}, {"-p", "-3"}, {"-p", "x"}, {"--bogus"}, {"extra"}} {
		var out, errb strings.Builder
		status := Applet.Exec(t.Context(), args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		if status != 2 || strings.Count(strings.TrimSpace(errb.String()), "\n") > 1 {
			t.Errorf("%q: status %d, stderr %q; want 2 and one line", args, status, errb.String())
		}
	}
}
