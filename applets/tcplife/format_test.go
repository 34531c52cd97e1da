package tcplife

import (
	"context"
	"encoding/binary"
	"net/netip"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/tcplife"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/netfmt"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var e bpfobj.TcplifeTcplifeEvent
	if unsafe.Sizeof(e) != eventSize || unsafe.Offsetof(e.Pid) != offPID || unsafe.Offsetof(e.Af) != offAF ||
		unsafe.Offsetof(e.Laddr) != offLaddr || unsafe.Offsetof(e.Raddr) != offRaddr || unsafe.Offsetof(e.Comm) != offComm {
		t.Fatalf("event layout changed: size %d", unsafe.Sizeof(e))
	}
	if unsafe.Offsetof(e.SpanNs) != 8 || unsafe.Offsetof(e.RxB) != 16 || unsafe.Offsetof(e.TxB) != 24 || unsafe.Offsetof(e.Rport) != offAF+4 {
		t.Fatal("layout of span/rx/tx/rport changed")
	}
}

func sample(tsNs, spanNs, rx, tx uint64, pid uint32, af, lport, rport uint16, laddr, raddr, comm string) []byte {
	b := make([]byte, eventSize)
	ne := binary.NativeEndian
	ne.PutUint64(b, tsNs)
	ne.PutUint64(b[8:], spanNs)
	ne.PutUint64(b[16:], rx)
	ne.PutUint64(b[24:], tx)
	ne.PutUint32(b[offPID:], pid)
	ne.PutUint16(b[offAF:], af)
	ne.PutUint16(b[offAF+2:], lport)
	ne.PutUint16(b[offAF+4:], rport)
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
	sample(5_000_000_000, 1_234_567_890, 70000, 3000, 4242, netfmt.AFInet, 41234, 8080, "127.0.0.1", "127.0.0.1", "curl"),
	sample(5_500_000_000, 15_000, 0, 0, 1, netfmt.AFInet, 22, 50122, "127.1.2.3", "127.100.200.250", "a-very-long-comm"),
	sample(7_250_000_000, 3_600_000_000_000, 1<<40, 1023, 99999, netfmt.AFInet6, 443, 65535, "::1", "::ffff:127.255.255.254", "evil\x1b[31mred"),
	sample(9_000_000_000, 999, 1024, 2048, 0, netfmt.AFInet6, 80, 1, "::1", "::1", ""),
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 12, 1, 21, 2, 3, 0, time.Local)
	for _, tt := range []struct {
		name string
		cfg  config
	}{
		{"default", config{}},
		{"wide_time", config{wide: true, clock: true}},
		{"timestamp", config{timestamp: true}},
		{"csv", config{csv: true, clock: true, timestamp: true}},
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
				out.Write(p.format(&ev, fixed))
			}
			if tt.cfg.json {
				golden.JSONLines(t, out.String())
			}
			golden.Check(t, tt.name, out.String())
		})
	}
}

// TestHeader pins bcc's headers, the lines scripts match on.
func TestHeader(t *testing.T) {
	for _, tt := range []struct {
		cfg  config
		want string
	}{
		{config{}, "PID   COMM       LADDR           LPORT RADDR           RPORT TX_KB RX_KB MS\n"},
		{config{wide: true}, "PID   COMM             IP LADDR                      LPORT RADDR                      RPORT  TX_KB  RX_KB MS\n"},
		{config{clock: true, timestamp: true}, "TIME     TIME(s)   PID   COMM       LADDR           LPORT RADDR           RPORT TX_KB RX_KB MS\n"},
		{config{csv: true}, "PID,COMM,IP,LADDR,LPORT,RADDR,RPORT,TX_KB,RX_KB,MS\n"},
	} {
		if got := string(newPrinter(&tt.cfg).header()); got != tt.want {
			t.Errorf("%+v: header %q, want %q", tt.cfg, got, tt.want)
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
	spec, err := bpfobj.LoadTcplife()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []config{{}, {family: netfmt.AFInet, pid: 7, lports: []uint16{80, 443}, rports: []uint16{22}}} {
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
}

// TestHookProgramsExist: every program a hook candidate names is in the object.
func TestHookProgramsExist(t *testing.T) {
	spec, err := bpfobj.LoadTcplife()
	if err != nil {
		t.Fatal(err)
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
	for _, m := range []string{"birth", "idents", "map_full"} {
		if spec.Maps[m] == nil {
			t.Errorf("no map %s", m)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"-4", "-6"}, {"-p", "0"}, {"-p", "x"}, {"-L", "0"}, {"-D", "80,x"}, {"-L", "70000"}, {"-x"}, {"extra"}, {"--btf"}} {
		var out, errb strings.Builder
		status := Applet.Exec(context.Background(), args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		if status != 2 {
			t.Errorf("%q: status %d, want 2 (stderr %q)", args, status, errb.String())
		}
		if !strings.HasPrefix(errb.String(), "tcplife: ") || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("%q: stderr %q, want one tcplife: line", args, errb.String())
		}
	}
}

func TestHelp(t *testing.T) {
	var out strings.Builder
	if status := Applet.Exec(context.Background(), []string{"-h"}, applet.Streams{Stdout: &out, Stderr: &out}); status != 0 {
		t.Fatalf("-h: status %d", status)
	}
	for _, want := range []string{"-T, --time", "-t, --timestamp", "-w, --wide", "-s, --csv", "-p, --pid", "-L, --localport", "-D, --remoteport", "-4, --ipv4", "-6, --ipv6", "--json", "--btf", "-v, --verbose", "Examples:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q", want)
		}
	}
}
