package threadsnoop

import (
	"encoding/binary"
	"strings"
	"testing"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/threadsnoop"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/syms"
	"github.com/probebox/probebox/internal/golden"
)

// TestLayout keeps the hand-written decoder in step with the C struct.
func TestLayout(t *testing.T) {
	var e bpfobj.ThreadsnoopThreadEvent
	if n := unsafe.Sizeof(e); n != eventSize {
		t.Fatalf("struct thread_event is %d bytes, decoder assumes %d", n, eventSize)
	}
	for _, f := range []struct {
		name      string
		got, want uintptr
	}{
		{"start", unsafe.Offsetof(e.Start), 8},
		{"pid", unsafe.Offsetof(e.Pid), 16},
		{"tid", unsafe.Offsetof(e.Tid), 20},
		{"cgroup_id", unsafe.Offsetof(e.CgroupId), 24},
		{"comm", unsafe.Offsetof(e.Comm), 32},
	} {
		if f.got != f.want {
			t.Errorf("%s at %d, decoder assumes %d", f.name, f.got, f.want)
		}
	}
}

// table is a symbolizer with fixed answers.
type table map[uint64]syms.Symbol

func (t table) Lookup(_ int, addr uint64) (syms.Symbol, bool) {
	s, ok := t[addr]
	return s, ok
}

func sample(ts, start uint64, pid, tid uint32, comm string) []byte {
	b := make([]byte, eventSize)
	ne := binary.NativeEndian
	ne.PutUint64(b[0:], ts)
	ne.PutUint64(b[8:], start)
	ne.PutUint32(b[16:], pid)
	ne.PutUint32(b[20:], tid)
	ne.PutUint64(b[24:], 7777)
	copy(b[32:], comm)
	return b
}

func TestFormatGolden(t *testing.T) {
	symbols := table{
		0x401000: {Name: "worker_main"},
		0x402010: {Name: "start_thread", Offset: 16},
		0x403000: {Name: "evil\x1b]0;x\a"},
	}
	samples := [][]byte{
		sample(5_000_000_000, 0x401000, 100, 100, "java"),
		sample(5_012_500_000, 0x402010, 100, 101, "java"),
		sample(6_000_000_000, 0xdead, 200, 200, "mystery"),
		sample(6_100_000_000, 0x403000, 300, 301, "x\x1b[2Jy"),
	}
	for _, tt := range []struct {
		name string
		cfg  config
	}{
		{"default", config{}},
		{"json", config{json: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := newPrinter(&tt.cfg, symbols)
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
	for _, args := range [][]string{{"-p", "0"}, {"-p", "-3"}, {"-p", "x"}, {"-n", ""}, {"-n", "a-name-too-long-for-comm"}, {"-l", ""}, {"-l", "/nonexistent/libc.so.6"}, {"-l", "nosuchlibpbx"}, {"--bogus"}, {"extra"}} {
		var out, errb strings.Builder
		status := Applet.Exec(t.Context(), args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		if status != 2 || strings.Count(strings.TrimSpace(errb.String()), "\n") > 0 {
			t.Errorf("%q: status %d, stderr %q; want 2 and one line", args, status, errb.String())
		}
	}
}
