package tcpstates

import (
	"context"
	"encoding/binary"
	"net/netip"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/tcpstates"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/netfmt"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var e bpfobj.TcpstatesTcpstatesEvent
	if unsafe.Sizeof(e) != eventSize || unsafe.Offsetof(e.Pid) != offPID || unsafe.Offsetof(e.Af) != offAF ||
		unsafe.Offsetof(e.Oldstate) != offStates || unsafe.Offsetof(e.Newstate) != offStates+1 ||
		unsafe.Offsetof(e.Laddr) != offLaddr || unsafe.Offsetof(e.Raddr) != offRaddr || unsafe.Offsetof(e.Comm) != offComm {
		t.Fatalf("event layout changed: size %d", unsafe.Sizeof(e))
	}
	if unsafe.Offsetof(e.TsNs) != 8 || unsafe.Offsetof(e.DeltaNs) != 16 || unsafe.Offsetof(e.Rport) != offAF+4 {
		t.Fatal("layout of ts/delta/rport changed")
	}
}

func sample(skaddr, deltaNs uint64, pid uint32, af, lport, rport uint16, old, new uint8, laddr, raddr, comm string) []byte {
	b := make([]byte, eventSize)
	ne := binary.NativeEndian
	ne.PutUint64(b, skaddr)
	ne.PutUint64(b[8:], 1_000_000_000)
	ne.PutUint64(b[16:], deltaNs)
	ne.PutUint32(b[offPID:], pid)
	ne.PutUint16(b[offAF:], af)
	ne.PutUint16(b[offAF+2:], lport)
	ne.PutUint16(b[offAF+4:], rport)
	b[offStates], b[offStates+1] = old, new
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
	put(offLaddr, laddr)
	put(offRaddr, raddr)
	copy(b[offComm:offComm+15], comm)
	return b
}

var samples = [][]byte{
	sample(0xffff9bf61bb62bc0, 0, 164978, netfmt.AFInet, 0, 80, 7, 2, "127.0.0.1", "127.0.0.2", "curl"),
	sample(0xffff9bf61bb62bc0, 1_234_567, 0, netfmt.AFInet, 41234, 80, 2, 1, "127.0.0.1", "127.0.0.2", "swapper/0"),
	sample(0xffff9bf61bb62bc0, 3_600_000_000_000, 4242, netfmt.AFInet, 41234, 80, 1, 4, "127.0.0.1", "127.0.0.2", "a-very-long-comm"),
	sample(0xffff8881aa, 999, 7, netfmt.AFInet6, 443, 65535, 9, 7, "::1", "::ffff:127.255.255.254", "evil\x1b[31mred"),
	sample(0x1, 5, 1, netfmt.AFInet6, 1, 2, 12, 99, "::1", "::1", ""),
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 12, 1, 21, 2, 3, 0, time.Local)
	for _, tt := range []struct {
		name string
		cfg  config
	}{
		{"default", config{}},
		{"wide_timestamp", config{wide: true, timestamp: true}},
		{"json", config{json: true}},
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
				out.Write(p.format(&ev, fixed))
			}
			if tt.cfg.json {
				golden.JSONLines(t, out.String())
			}
			golden.Check(t, tt.name, out.String())
		})
	}
}

// TestHeader pins libbpf-tools' headers.
func TestHeader(t *testing.T) {
	for _, tt := range []struct {
		cfg  config
		want string
	}{
		{config{}, "SKADDR           PID     COMM       LADDR           LPORT RADDR           RPORT OLDSTATE    -> NEWSTATE    MS\n"},
		{config{wide: true, timestamp: true}, "TIME(s)  SKADDR           PID     COMM             IP LADDR                      LPORT RADDR                      RPORT OLDSTATE    -> NEWSTATE    MS\n"},
	} {
		if got := string(newPrinter(&tt.cfg).header()); got != tt.want {
			t.Errorf("%+v: header\n%q, want\n%q", tt.cfg, got, tt.want)
		}
	}
}

func TestDecodeShort(t *testing.T) {
	var ev event
	if err := ev.decode(make([]byte, eventSize-1)); err == nil {
		t.Fatal("short sample decoded")
	}
}

func TestConsts(t *testing.T) {
	spec, err := bpfobj.LoadTcpstates()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []config{{}, {family: netfmt.AFInet6, lports: []uint16{80, 443}, rports: []uint16{22}}} {
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
	for _, args := range [][]string{{"-4", "-6"}, {"-L", "0"}, {"-D", "80,x"}, {"-L", "70000"}, {"-x"}, {"extra"}, {"--btf"}} {
		var out, errb strings.Builder
		status := Applet.Exec(context.Background(), args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		if status != 2 {
			t.Errorf("%q: status %d, want 2 (stderr %q)", args, status, errb.String())
		}
		if !strings.HasPrefix(errb.String(), "tcpstates: ") || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("%q: stderr %q, want one tcpstates: line", args, errb.String())
		}
	}
}

func TestHelp(t *testing.T) {
	var out strings.Builder
	if status := Applet.Exec(context.Background(), []string{"-h"}, applet.Streams{Stdout: &out, Stderr: &out}); status != 0 {
		t.Fatalf("-h: status %d", status)
	}
	for _, want := range []string{"-T, --timestamp", "-w, --wide", "-L, --localport", "-D, --remoteport", "-4, --ipv4", "-6, --ipv6", "--json", "--btf", "-v, --verbose", "Examples:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q", want)
		}
	}
}
