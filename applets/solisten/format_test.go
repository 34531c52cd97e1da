package solisten

import (
	"context"
	"encoding/binary"
	"net/netip"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/solisten"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/netfmt"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var e bpfobj.SolistenSolistenEvent
	if unsafe.Sizeof(e) != eventSize || unsafe.Offsetof(e.Af) != offAF || unsafe.Offsetof(e.Addr) != offAddr ||
		unsafe.Offsetof(e.Comm) != offComm || unsafe.Offsetof(e.Ret) != 12 || unsafe.Offsetof(e.Backlog) != 16 || unsafe.Offsetof(e.Port) != offAF+4 {
		t.Fatalf("event layout changed: size %d", unsafe.Sizeof(e))
	}
}

func sample(pid uint32, ret int32, backlog uint32, af, typ, port uint16, addr, comm string) []byte {
	b := make([]byte, eventSize)
	ne := binary.NativeEndian
	ne.PutUint64(b, 1)
	ne.PutUint32(b[8:], pid)
	ne.PutUint32(b[12:], uint32(ret))
	ne.PutUint32(b[16:], backlog)
	ne.PutUint16(b[offAF:], af)
	ne.PutUint16(b[offAF+2:], typ)
	ne.PutUint16(b[offAF+4:], port)
	a := netip.MustParseAddr(addr)
	if a.Is4() {
		v := a.As4()
		copy(b[offAddr:], v[:])
	} else {
		v := a.As16()
		copy(b[offAddr:], v[:])
	}
	copy(b[offComm:offComm+15], comm)
	return b
}

var samples = [][]byte{
	sample(3745, 0, 7, netfmt.AFInet, 1, 8080, "127.0.0.1", "nginx"),
	sample(1, 0, 4096, netfmt.AFInet6, 1, 22, "::", "sshd"),
	sample(99999, -22, 0, netfmt.AFInet6, 1, 0, "::ffff:127.0.0.1", "evil\x1b[31mred"),
	sample(5, -95, 1, netfmt.AFInet, 2, 53, "127.0.0.53", "a-very-long-comm"),
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 12, 1, 21, 2, 3, 0, time.Local)
	for _, tt := range []struct {
		name string
		cfg  config
	}{{"default", config{}}, {"timestamp", config{timestamp: true}}, {"json", config{json: true}}} {
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
				out.Write(p.format(&ev, fixed))
			}
			if tt.cfg.json {
				golden.JSONLines(t, out.String())
			}
			golden.Check(t, tt.name, out.String())
		})
	}
}

func TestDecodeShort(t *testing.T) {
	var ev event
	if err := ev.decode(make([]byte, eventSize-1)); err == nil {
		t.Fatal("short sample decoded")
	}
}

func TestHookPrograms(t *testing.T) {
	spec, err := bpfobj.LoadSolisten()
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range (&config{pid: 3}).consts() {
		if vs, ok := spec.Variables[name]; !ok || vs.Set(v) != nil {
			t.Errorf("constant %s", name)
		}
	}
	for _, h := range Hooks {
		for _, c := range h.Candidates {
			for _, a := range c.Attach {
				if spec.Programs[a.Program] == nil {
					t.Errorf("%s: no program %s", h.Name, a.Program)
				}
			}
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"-p", "0"}, {"-p", "x"}, {"extra"}, {"-x"}, {"--btf"}} {
		var out, errb strings.Builder
		status := Applet.Exec(context.Background(), args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		if status != 2 || !strings.HasPrefix(errb.String(), "solisten: ") || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("%q: status %d, stderr %q; want 2 and one solisten: line", args, status, errb.String())
		}
	}
}
