package sigsnoop

import (
	"encoding/binary"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/sigsnoop"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var e bpfobj.SigsnoopSignalEvent
	if n := unsafe.Sizeof(e); n != eventSize {
		t.Fatalf("struct signal_event is %d bytes, decoder assumes %d", n, eventSize)
	}
	if unsafe.Offsetof(e.Tpid) != 16 || unsafe.Offsetof(e.Source) != 28 || unsafe.Offsetof(e.Comm) != 32 || unsafe.Offsetof(e.Tcomm) != 48 {
		t.Fatal("struct signal_event offsets differ from the decoder's")
	}
}

func sample(pid, tpid, sig, ret int32, source uint32, comm, tcomm string) []byte {
	b := make([]byte, eventSize)
	ne := binary.NativeEndian
	ne.PutUint64(b[0:], 5_000_000_000)
	ne.PutUint32(b[8:], uint32(pid))
	ne.PutUint32(b[12:], uint32(pid+1))
	ne.PutUint32(b[16:], uint32(tpid))
	ne.PutUint32(b[20:], uint32(sig))
	ne.PutUint32(b[24:], uint32(ret))
	ne.PutUint32(b[28:], source)
	copy(b[32:48], comm)
	copy(b[48:64], tcomm)
	return b
}

var samples = [][]byte{
	sample(1200, 1300, 10, 0, 1, "bash", "sleep"),
	sample(1201, 4194303, 15, -3, 1, "kill", ""),
	sample(1202, 1400, 9, 0, 0, "systemd", "nginx"),
	sample(1203, 1500, 17, 1, 0, "worker", "parent"),
	sample(1204, 1204, 36, 0, 3, "rt\x1b[1m", "evil\x07name"),
	sample(1205, -1300, 2, 0, 2, "killer", "group"),
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 12, 1, 21, 4, 5, 0, time.Local)
	for _, tt := range []struct {
		name string
		cfg  config
	}{
		{"default", config{}},
		{"names", config{names: true}},
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
			if strings.ContainsAny(out.String(), "\x1b\x07") {
				t.Error("a control byte reached the output")
			}
		})
	}
}

func TestSignalsFlag(t *testing.T) {
	for _, tt := range []struct {
		in   string
		mask uint64
	}{
		{"1,9,15", 1 | 1<<8 | 1<<14},
		{"USR1", 1 << 9},
		{"SIGTERM, sigkill", 1<<14 | 1<<8},
		{"64", 1 << 63},
	} {
		mask, err := parseSignals(tt.in)
		if err != nil || mask != tt.mask {
			t.Errorf("parseSignals(%q) = %#x, %v; want %#x", tt.in, mask, err, tt.mask)
		}
	}
}

func TestBadFlags(t *testing.T) {
	for _, a := range []*applet.Applet{Applet, Killsnoop} {
		for _, args := range [][]string{{"-p", "0"}, {"-s", "0"}, {"-s", "65"}, {"-s", "BOGUS"}, {"-s", "9,"}, {"--bogus"}, {"extra"}} {
			var out, errb strings.Builder
			status := a.Exec(t.Context(), args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
			if status != 2 || strings.Count(strings.TrimSpace(errb.String()), "\n") > 1 {
				t.Errorf("%s %q: status %d, stderr %q; want 2 and one line", a.Name, args, status, errb.String())
			}
		}
	}
}
