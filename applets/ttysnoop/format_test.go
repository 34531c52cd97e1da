package ttysnoop

import (
	"context"
	"encoding/binary"
	"strings"
	"testing"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/ttysnoop"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/internal/golden"
)

// TestLayout keeps the hand-written decoder in step with the C struct.
func TestLayout(t *testing.T) {
	var e bpfobj.TtysnoopTtyEvent
	if n := unsafe.Sizeof(e); n != eventSize {
		t.Fatalf("struct tty_event is %d bytes, decoder assumes %d", n, eventSize)
	}
	for _, f := range []struct {
		name      string
		got, want uintptr
	}{
		{"pid", unsafe.Offsetof(e.Pid), 8},
		{"len", unsafe.Offsetof(e.Len), 12},
		{"cgroup_id", unsafe.Offsetof(e.CgroupId), 16},
		{"comm", unsafe.Offsetof(e.Comm), 24},
		{"data", unsafe.Offsetof(e.Data), 40},
	} {
		if f.got != f.want {
			t.Errorf("%s at %d, decoder assumes %d", f.name, f.got, f.want)
		}
	}
}

func sample(pid uint32, comm, data string) []byte {
	b := make([]byte, eventSize)
	ne := binary.NativeEndian
	ne.PutUint64(b[0:], 3_000_000_000)
	ne.PutUint32(b[8:], pid)
	ne.PutUint32(b[12:], uint32(len(data)))
	ne.PutUint64(b[16:], 55)
	copy(b[24:40], comm)
	copy(b[40:], data)
	return b
}

func TestFormatGolden(t *testing.T) {
	samples := [][]byte{
		sample(300, "bash", "$ "),
		sample(300, "bash", "ls\r\n"),
		sample(301, "ls", "a.txt\tb.txt\r\nc.txt\n"),
		sample(302, "evil", "\x1b]0;owned\x07\x1b[2Jgone\r"),
		sample(303, "vim", "ünïcode \u202etxt.exe\n"),
	}
	for _, tt := range []struct {
		name string
		cfg  config
	}{{"default", config{}}, {"json", config{json: true}}} {
		t.Run(tt.name, func(t *testing.T) {
			p := newPrinter(&tt.cfg)
			var out strings.Builder
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
			if strings.ContainsAny(out.String(), "\x1b\x07\r") || strings.ContainsRune(out.String(), 0x202e) {
				t.Error("a control byte reached the output")
			}
		})
	}
}

func TestDecodeBad(t *testing.T) {
	var ev event
	if err := ev.decode(make([]byte, eventSize-1)); err == nil {
		t.Fatal("a short sample decoded")
	}
	b := sample(1, "x", "")
	binary.NativeEndian.PutUint32(b[12:], chunk+1)
	if err := ev.decode(b); err == nil {
		t.Fatal("a length past the chunk decoded")
	}
}

func TestChunks(t *testing.T) {
	for _, tt := range []struct {
		size, count int
		want        uint32
	}{{256, 16, 16}, {1024, 16, 64}, {100, 1, 1}, {300, 1, 2}, {256, 1000, maxChunks}} {
		c := config{size: tt.size, count: tt.count}
		if got := c.chunks(); got != tt.want {
			t.Errorf("-s %d -c %d: %d chunks, want %d", tt.size, tt.count, got, tt.want)
		}
	}
}

func TestConfigDevice(t *testing.T) {
	inv := func(args ...string) (*config, error) {
		var cfg *config
		var err error
		a := *Applet
		a.Run = func(_ context.Context, i *applet.Invocation) error { cfg, err = newConfig(i); return err }
		var out, errb strings.Builder
		a.Exec(t.Context(), args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		return cfg, err
	}
	c, err := inv("/dev/null")
	if err != nil || c.rdev != 1<<20|3 || c.sdev != 0 {
		t.Errorf("/dev/null: %+v %v; want rdev 1:3 and no instance", c, err)
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{}, {"/dev/null", "extra"}, {"/nonexistent/pts/9"}, {"/etc/hostname"}, {"-s", "0", "/dev/null"}, {"-c", "-1", "/dev/null"}, {"-s", "x", "/dev/null"}, {"--bogus", "/dev/null"}} {
		var out, errb strings.Builder
		status := Applet.Exec(t.Context(), args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		if status != 2 || strings.Count(strings.TrimSpace(errb.String()), "\n") > 0 {
			t.Errorf("%q: status %d, stderr %q; want 2 and one line", args, status, errb.String())
		}
	}
}
