package opensnoop

import (
	"encoding/binary"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/opensnoop"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var e bpfobj.OpensnoopOpenEvent
	if unsafe.Offsetof(e.Comm) != offComm || unsafe.Offsetof(e.Fname) != offFname || len(e.Fname) != nameLen {
		t.Fatalf("layout: comm %d fname %d len %d", unsafe.Offsetof(e.Comm), unsafe.Offsetof(e.Fname), len(e.Fname))
	}
	if unsafe.Offsetof(e.Dfd) != 24 || unsafe.Offsetof(e.Mode) != 32 {
		t.Fatal("layout of dfd/mode changed")
	}
}

func sample(pid, tid, uid uint32, ret, dfd int32, flags, mode uint32, comm, fname string) []byte {
	b := make([]byte, offFname+nameLen+4)
	ne := binary.NativeEndian
	ne.PutUint64(b, 5_000_000_000)
	ne.PutUint32(b[8:], pid)
	ne.PutUint32(b[12:], tid)
	ne.PutUint32(b[16:], uid)
	ne.PutUint32(b[20:], uint32(ret))
	ne.PutUint32(b[24:], uint32(dfd))
	ne.PutUint32(b[28:], flags)
	ne.PutUint32(b[32:], mode)
	copy(b[offComm:offComm+16], comm)
	copy(b[offFname:], fname)
	return b
}

var samples = [][]byte{
	sample(1234, 1234, 0, 3, atFDCWD, 0o2000000, 0, "cat", "/etc/hostname"),
	sample(1234, 1235, 1000, -2, atFDCWD, 0, 0, "bash", "/nonexistent"),
	sample(99, 99, 0, 4, atFDCWD, 0o101, 0o644, "touch", "relative.txt"),
	sample(7, 7, 0, 5, 3, 0, 0, "evil\x1bname", "dir/\x1b[2Jfile"),
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 11, 25, 1, 2, 3, 0, time.Local)
	tests := []struct {
		name string
		cfg  config
	}{
		{"default", config{}},
		{"timestamp_uid", config{timestamp: true, printUID: true}},
		{"extended", config{extended: true}},
		{"full_path", config{fullPath: true}},
		{"json", config{json: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPrinter(&tt.cfg)
			p.now = func() time.Time { return fixed }
			p.resolve = func(pid uint32, dfd int32, path string) string {
				if dfd == atFDCWD {
					return "/home/user/" + path
				}
				return "/srv/fd3/" + path
			}
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
			if strings.ContainsRune(out.String(), 0x1b) {
				t.Error("raw ESC in output")
			}
			if tt.cfg.json {
				for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
					var m map[string]any
					if err := json.Unmarshal([]byte(l), &m); err != nil {
						t.Errorf("%q: %v", l, err)
					}
				}
			}
			golden.Check(t, tt.name, out.String())
		})
	}
}

func TestDecodeShort(t *testing.T) {
	var ev event
	if err := ev.decode(make([]byte, 40)); err == nil {
		t.Fatal("short sample decoded")
	}
}
