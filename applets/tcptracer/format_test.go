package tcptracer

import (
	"context"
	"encoding/binary"
	"net/netip"
	"strings"
	"testing"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/tcptracer"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/netfmt"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var e bpfobj.TcptracerTcptracerEvent
	if unsafe.Sizeof(e) != eventSize || unsafe.Offsetof(e.Af) != offAF || unsafe.Offsetof(e.Type) != offType ||
		unsafe.Offsetof(e.Saddr) != offSaddr || unsafe.Offsetof(e.Daddr) != offDaddr || unsafe.Offsetof(e.Comm) != offComm ||
		unsafe.Offsetof(e.Netns) != 16 || unsafe.Offsetof(e.Dport) != offAF+4 {
		t.Fatalf("event layout changed: size %d", unsafe.Sizeof(e))
	}
}

func sample(ts uint64, typ uint8, pid, uid uint32, af, sport, dport uint16, saddr, daddr, comm string) []byte {
	b := make([]byte, eventSize)
	ne := binary.NativeEndian
	ne.PutUint64(b, ts)
	ne.PutUint32(b[8:], pid)
	ne.PutUint32(b[12:], uid)
	ne.PutUint32(b[16:], 4026531840)
	ne.PutUint16(b[offAF:], af)
	ne.PutUint16(b[offAF+2:], sport)
	ne.PutUint16(b[offAF+4:], dport)
	b[offType] = typ
	for off, s := range map[int]string{offSaddr: saddr, offDaddr: daddr} {
		a := netip.MustParseAddr(s)
		if a.Is4() {
			v := a.As4()
			copy(b[off:], v[:])
		} else {
			v := a.As16()
			copy(b[off:], v[:])
		}
	}
	copy(b[offComm:offComm+15], comm)
	return b
}

var samples = [][]byte{
	sample(1_000_000_000, typeConnect, 28943, 1000, netfmt.AFInet, 59306, 23, "127.0.0.1", "127.0.0.2", "telnet"),
	sample(1_250_000_000, typeAccept, 28818, 0, netfmt.AFInet6, 80, 42422, "::1", "::1", "a-very-long-comm"),
	sample(2_000_000_000, typeClose, 99999, 65534, netfmt.AFInet, 59306, 23, "127.0.0.1", "127.0.0.2", "evil\x1b[31mred"),
	sample(3_000_000_000, 9, 1, 0, netfmt.AFInet, 1, 2, "127.0.0.1", "127.0.0.1", "x"),
}

func TestFormatGolden(t *testing.T) {
	for _, tt := range []struct {
		name string
		cfg  config
	}{{"default", config{}}, {"timestamp_uid", config{timestamp: true, printUID: true}}, {"json", config{json: true, timestamp: true}}} {
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
	spec, err := bpfobj.LoadTcptracer()
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range (&config{pid: 3, uid: 5, netns: 4026531840, family: 2}).consts() {
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
	for _, args := range [][]string{{"-p", "0"}, {"-u", "-5"}, {"-N", "0"}, {"-N", "x"}, {"-N", "99999999999"}, {"-4", "-6"}, {"extra"}, {"-z"}, {"--btf"}} {
		var out, errb strings.Builder
		status := Applet.Exec(context.Background(), args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		if status != 2 || !strings.HasPrefix(errb.String(), "tcptracer: ") || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("%q: status %d, stderr %q; want 2 and one tcptracer: line", args, status, errb.String())
		}
	}
}
