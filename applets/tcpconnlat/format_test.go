package tcpconnlat

import (
	"context"
	"encoding/binary"
	"net/netip"
	"strings"
	"testing"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/tcpconnlat"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/netfmt"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var e bpfobj.TcpconnlatTcpconnlatEvent
	if unsafe.Sizeof(e) != eventSize || unsafe.Offsetof(e.Pid) != offPID || unsafe.Offsetof(e.Af) != offAF ||
		unsafe.Offsetof(e.Saddr) != offSaddr || unsafe.Offsetof(e.Daddr) != offDaddr || unsafe.Offsetof(e.Comm) != offComm {
		t.Fatalf("event layout changed: size %d", unsafe.Sizeof(e))
	}
	if unsafe.Offsetof(e.DeltaNs) != 8 || unsafe.Offsetof(e.Lport) != offAF+2 || unsafe.Offsetof(e.Dport) != offAF+4 {
		t.Fatal("layout of delta/lport/dport changed")
	}
}

func sample(tsNs, deltaNs uint64, pid uint32, af, lport, dport uint16, saddr, daddr, comm string) []byte {
	b := make([]byte, eventSize)
	ne := binary.NativeEndian
	ne.PutUint64(b, tsNs)
	ne.PutUint64(b[8:], deltaNs)
	ne.PutUint32(b[offPID:], pid)
	ne.PutUint16(b[offAF:], af)
	ne.PutUint16(b[offAF+2:], lport)
	ne.PutUint16(b[offAF+4:], dport)
	put := func(off int, s string) {
		a := netip.MustParseAddr(s)
		if a.Is4() {
			v := a.As4()
			copy(b[off:], v[:])
		} else {
			v := a.As16()
			copy(b[off:], v[:])
		}
	}
	put(offSaddr, saddr)
	put(offDaddr, daddr)
	copy(b[offComm:offComm+15], comm)
	return b
}

var samples = [][]byte{
	sample(2_000_000_000, 1_009_876_543, 4242, netfmt.AFInet, 41234, 8080, "127.0.0.1", "127.0.0.1", "curl"),
	sample(2_500_000_000, 65_432, 1, netfmt.AFInet, 22, 50122, "127.1.2.3", "127.100.200.250", "a-very-long-comm"),
	sample(4_250_000_000, 999, 99999, netfmt.AFInet6, 443, 65535, "::1", "::ffff:127.255.255.254", "evil\x1b[31mred"),
}

func TestFormatGolden(t *testing.T) {
	for _, tt := range []struct {
		name string
		cfg  config
	}{
		{"default", config{}},
		{"lport_timestamp", config{lport: true, timestamp: true}},
		{"json", config{json: true, timestamp: true}},
	} {
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

func TestMinMS(t *testing.T) {
	for _, tt := range []struct {
		arg  string
		want uint64
	}{{"1", 1_000_000}, {"0.1", 100_000}, {"2500", 2_500_000_000}} {
		inv := &applet.Invocation{Args: []string{tt.arg}}
		c, err := newConfig(inv)
		if err != nil || c.minNs != tt.want {
			t.Errorf("min_ms %s: %v, %v; want %d ns", tt.arg, c, err, tt.want)
		}
	}
}

func TestConsts(t *testing.T) {
	spec, err := bpfobj.LoadTcpconnlat()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []config{{}, {family: netfmt.AFInet6, pid: 3, minNs: 5}} {
		for name, v := range c.consts() {
			vs, ok := spec.Variables[name]
			if !ok {
				t.Fatalf("object has no constant %s", name)
			}
			if err := vs.Set(v); err != nil {
				t.Errorf("%s = %v: %v", name, v, err)
			}
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
	for _, args := range [][]string{{"-4", "-6"}, {"0"}, {"-1"}, {"x"}, {"1", "2"}, {"-p", "0"}, {"-x"}, {"--btf"}, {"inf"}} {
		var out, errb strings.Builder
		status := Applet.Exec(context.Background(), args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		if status != 2 {
			t.Errorf("%q: status %d, want 2 (stderr %q)", args, status, errb.String())
		}
		if !strings.HasPrefix(errb.String(), "tcpconnlat: ") || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("%q: stderr %q, want one tcpconnlat: line", args, errb.String())
		}
	}
}

func TestHelp(t *testing.T) {
	var out strings.Builder
	if status := Applet.Exec(context.Background(), []string{"-h"}, applet.Streams{Stdout: &out, Stderr: &out}); status != 0 {
		t.Fatalf("-h: status %d", status)
	}
	for _, want := range []string{"min_ms", "-t, --timestamp", "-p, --pid", "-L, --lport", "-4, --ipv4", "--json", "--btf", "-v, --verbose", "Examples:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q", want)
		}
	}
}
