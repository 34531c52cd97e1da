package biosnoop

import (
	"encoding/binary"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/biosnoop"
	"github.com/probebox/probebox/core/blockdev"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/internal/golden"
)

// TestLayout keeps the hand-written decoder in step with the C struct.
func TestLayout(t *testing.T) {
	var e bpfobj.BiosnoopBiosnoopEvent
	for _, f := range []struct {
		name      string
		got, want uintptr
	}{
		{"qdelta_ns", unsafe.Offsetof(e.QdeltaNs), 16},
		{"sector", unsafe.Offsetof(e.Sector), 24},
		{"len", unsafe.Offsetof(e.Len), offLen},
		{"pid", unsafe.Offsetof(e.Pid), offPID},
		{"cmd_flags", unsafe.Offsetof(e.CmdFlags), offFlags},
		{"dev", unsafe.Offsetof(e.Dev), offDev},
		{"comm", unsafe.Offsetof(e.Comm), offComm},
		{"size", unsafe.Sizeof(e), eventSize},
	} {
		if f.got != f.want {
			t.Errorf("%s at %d, decoder assumes %d", f.name, f.got, f.want)
		}
	}
	if len(e.Comm) != commLen {
		t.Errorf("comm %d bytes", len(e.Comm))
	}
}

func sample(ts, delta uint64, qdelta int64, sector uint64, size, pid, flags, dev uint32, comm string) []byte {
	b := make([]byte, eventSize)
	ne := binary.NativeEndian
	ne.PutUint64(b, ts)
	ne.PutUint64(b[8:], delta)
	ne.PutUint64(b[16:], uint64(qdelta))
	ne.PutUint64(b[24:], sector)
	ne.PutUint32(b[offLen:], size)
	ne.PutUint32(b[offPID:], pid)
	ne.PutUint32(b[offFlags:], flags)
	ne.PutUint32(b[offDev:], dev)
	copy(b[offComm:eventSize], comm)
	return b
}

const (
	sync     = 1 << 11
	idle     = 1 << 15
	preflush = 1 << 18
	rahead   = 1 << 19
)

var samples = [][]byte{
	sample(5_000_000_000, 53_120, 0, 0, 4096, 29444, 1|sync|idle, blockdev.MkDev(7, 0), "dd"),
	sample(5_000_999_000, 918_000, -1, ^uint64(0), 0, 54, 2|preflush, blockdev.MkDev(7, 0), "kworker/0:1H"),
	sample(5_010_636_000, 1_234_567_890, 25_500, 2162544, 65536, 1234, 0|rahead, blockdev.MkDev(254, 0), "averyveryverylongcomm"),
	sample(6_500_000_000, 7, 3, 8, 512, 7, 1, blockdev.MkDev(1, 99), "evil\x1b[2Jname"),
}

func names(dev uint32) (string, bool) {
	switch dev {
	case blockdev.MkDev(7, 0):
		return "loop0", true
	case blockdev.MkDev(254, 0):
		return "vda", true
	}
	return "", false
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 11, 25, 13, 4, 5, 678_000_000, time.Local)
	for _, tc := range []struct {
		name string
		cfg  config
	}{
		{"default", config{}},
		{"queued", config{queued: true}},
		{"timestamp_queued", config{timestamp: true, queued: true}},
		{"json", config{json: true}},
		{"json_timestamp_queued", config{json: true, timestamp: true, queued: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPrinter(&tc.cfg, names, blockdev.FlagsFromBTF(nil))
			p.now = func() time.Time { return fixed }
			var out strings.Builder
			if !tc.cfg.json {
				out.Write(p.header())
			}
			var ev event
			for _, s := range samples {
				if err := ev.decode(s); err != nil {
					t.Fatal(err)
				}
				out.Write(p.format(&ev))
			}
			if strings.ContainsRune(out.String(), 0x1b) {
				t.Error("raw ESC in output")
			}
			if tc.cfg.json {
				for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
					var m map[string]any
					if err := json.Unmarshal([]byte(l), &m); err != nil {
						t.Errorf("%q: %v", l, err)
					}
				}
			}
			golden.Check(t, tc.name, out.String())
		})
	}
}

func TestDecodeShort(t *testing.T) {
	var ev event
	if err := ev.decode(make([]byte, eventSize-1)); err == nil {
		t.Fatal("short sample decoded")
	}
}

// TestUsage: bad values exit 2 before anything is loaded.
func TestUsage(t *testing.T) {
	for _, args := range [][]string{
		{"0"}, {"-1"}, {"x"}, {"1", "2"}, {"-m", "-1"}, {"-m", "x"},
		{"-d", "no-such-disk-pbx"}, {"-d", "../sda"}, {"--bogus"},
	} {
		tool := livetest.Start(t, Applet, args...)
		status, exited := tool.Exited(10 * time.Second)
		if !exited || status != 2 {
			t.Errorf("%q: exited %v status %d, want 2", args, exited, status)
			continue
		}
		if len(tool.Stderr()) == 0 {
			t.Errorf("%q: no message", args)
		}
	}
}

func TestConfigConsts(t *testing.T) {
	c := &config{disk: "loop3", dev: blockdev.MkDev(7, 3), queued: true, minMs: 15}
	m := c.consts()
	if m["filter_dev"] != true || m["targ_dev"] != blockdev.MkDev(7, 3) || m["targ_queued"] != true || m["min_ns"] != uint64(15_000_000) {
		t.Errorf("consts %v", m)
	}
	if m := (&config{}).consts(); m["filter_dev"] != false || m["min_ns"] != uint64(0) {
		t.Errorf("default consts %v", m)
	}
	spec, err := bpfobj.LoadBiosnoop()
	if err != nil {
		t.Fatal(err)
	}
	for name := range m {
		if _, ok := spec.Variables[name]; !ok {
			t.Errorf("BPF object has no %s", name)
		}
	}
	if _, ok := spec.Variables["rq_after_q"]; !ok {
		t.Error("BPF object has no rq_after_q")
	}
}

func TestHelp(t *testing.T) {
	var b strings.Builder
	Applet.WriteHelp(&b)
	for _, want := range []string{"-Q, --queued", "-d, --disk DISK", "-m, --min MIN_MS", "-t, --timestamp", "-c, --cgroup PATH", "--json", "--btf", "Examples:", "biosnoop -Q", "biosnoop -d sdc", "duration"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, b.String())
		}
	}
}
