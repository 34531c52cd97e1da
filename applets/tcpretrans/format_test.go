package tcpretrans

import (
	"context"
	"encoding/binary"
	"net/netip"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/tcpretrans"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var e bpfobj.TcpretransRetransEvent
	if unsafe.Sizeof(e) != eventSize || unsafe.Offsetof(e.Saddr) != offEvSaddr || unsafe.Offsetof(e.Daddr) != offEvDaddr {
		t.Fatalf("event layout: size %d saddr %d daddr %d", unsafe.Sizeof(e), unsafe.Offsetof(e.Saddr), unsafe.Offsetof(e.Daddr))
	}
	if unsafe.Offsetof(e.Seq) != 12 || unsafe.Offsetof(e.Family) != 16 || unsafe.Offsetof(e.Dport) != 20 || unsafe.Offsetof(e.State) != 22 || unsafe.Offsetof(e.Type) != 23 {
		t.Fatal("layout of seq/family/dport/state/type changed")
	}
}

func sample(pid, seq uint32, family, lport, dport uint16, state, typ uint8, saddr, daddr string) []byte {
	b := make([]byte, eventSize)
	ne := binary.NativeEndian
	ne.PutUint64(b, 7_000_000_000)
	ne.PutUint32(b[8:], pid)
	ne.PutUint32(b[12:], seq)
	ne.PutUint16(b[16:], family)
	ne.PutUint16(b[18:], lport)
	ne.PutUint16(b[20:], dport)
	b[22], b[23] = state, typ
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
	put(offEvSaddr, saddr)
	put(offEvDaddr, daddr)
	return b
}

var samples = [][]byte{
	sample(0, 512609957, afInet, 45642, 41865, 1, typeRetrans, "127.0.0.1", "127.0.0.1"),
	sample(17028, 1777110518, afInet, 22, 50122, 4, typeRetrans, "127.1.2.3", "127.100.200.250"),
	sample(1234567, 4294967295, afInet6, 443, 65535, 1, typeLossProb, "::1", "::ffff:127.255.255.254"),
	sample(99, 0, afInet6, 8080, 40000, 11, typeRetrans, "::ffff:127.0.0.1", "::1"),
	sample(5, 1, afInet, 1, 2, 99, typeRetrans, "127.0.0.1", "127.0.0.2"), // a state newer than the table
}

func flowAt(family uint16, saddr string, lport uint16, daddr string, dport uint16, n uint64) flow {
	return flow{family: family, saddr: netip.MustParseAddr(saddr), lport: lport, daddr: netip.MustParseAddr(daddr), dport: dport, count: n}
}

func flows() []flow {
	return []flow{
		flowAt(afInet6, "::1", 40000, "::1", 8080, 2),
		flowAt(afInet, "127.0.0.1", 45642, "127.0.0.1", 41865, 17),
		flowAt(afInet, "127.1.2.3", 22, "127.100.200.250", 50122, 3),
		flowAt(afInet6, "::1", 443, "::ffff:127.255.255.254", 65535, 1234567890),
		flowAt(afInet, "127.0.0.1", 1, "127.0.0.1", 2, 3),
	}
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 11, 25, 1, 2, 3, 0, time.Local)
	for _, tt := range []struct {
		name string
		cfg  config
	}{
		{"default", config{}},
		{"sequence", config{sequence: true}},
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
			if tt.cfg.json {
				golden.JSONLines(t, out.String())
			}
			golden.Check(t, tt.name, out.String())
		})
	}
}

// TestHeader pins bcc's header, the one line scripts match on.
func TestHeader(t *testing.T) {
	lines := strings.Split(string(newPrinter(&config{}).header()), "\n")
	if lines[0] != "Tracing retransmits ... Hit Ctrl-C to end" || lines[1] != "TIME     PID     IP LADDR:LPORT          T> RADDR:RPORT          STATE" {
		t.Errorf("header %q", lines)
	}
}

func TestCountsGolden(t *testing.T) {
	for _, tt := range []struct {
		name string
		cfg  config
	}{
		{"count", config{count: true}},
		{"count_json", config{count: true, json: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := string(newPrinter(&tt.cfg).counts(flows()))
			if tt.cfg.json {
				golden.JSONLines(t, out)
			}
			golden.Check(t, tt.name, out)
		})
	}
}

func TestCountsEmpty(t *testing.T) {
	if got := string(newPrinter(&config{count: true}).counts(nil)); got != "\nLADDR:LPORT               RADDR:RPORT               RETRANSMITS\n" {
		t.Errorf("no flows: %q", got)
	}
	if got := newPrinter(&config{count: true, json: true}).counts(nil); len(got) != 0 {
		t.Errorf("no flows, --json: %q", got)
	}
}

func TestFlowFromKey(t *testing.T) {
	k := bpfobj.TcpretransRetransFlow{Family: afInet, Lport: 80, Dport: 5555}
	copy(k.Saddr[:], []byte{127, 0, 0, 1})
	copy(k.Daddr[:], []byte{127, 0, 0, 2})
	f := flowFromKey(&k, 9)
	if f.saddr.String() != "127.0.0.1" || f.daddr.String() != "127.0.0.2" || f.lport != 80 || f.dport != 5555 || f.count != 9 {
		t.Errorf("flow %+v", f)
	}
	k6 := bpfobj.TcpretransRetransFlow{Family: afInet6}
	k6.Saddr[15], k6.Daddr[15] = 1, 1
	if f := flowFromKey(&k6, 1); f.saddr.String() != "::1" || f.daddr.String() != "::1" {
		t.Errorf("v6 flow %+v", f)
	}
}

func TestDecodeShort(t *testing.T) {
	var ev event
	if err := ev.decode(make([]byte, eventSize-1)); err == nil {
		t.Fatal("short sample decoded")
	}
}

func TestConsts(t *testing.T) {
	spec, err := bpfobj.LoadTcpretrans()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []config{{}, {family: afInet, count: true}, {family: afInet6}} {
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
	spec, err := bpfobj.LoadTcpretrans()
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hooks(&config{lossProbe: true}) {
		for _, c := range h.Candidates {
			for _, a := range c.Attach {
				if spec.Programs[a.Program] == nil {
					t.Errorf("%s: no program %s", h.Name, a.Program)
				}
			}
		}
	}
	if len(hooks(&config{})) != 1 || len(Hooks) != 1 {
		t.Error("-l's hook leaked into the default hooks")
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"-4", "-6"}, {"--ipv4", "--ipv6"}, {"-x"}, {"extra"}, {"--btf"}} {
		var out, errb strings.Builder
		status := Applet.Exec(context.Background(), args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		if status != 2 {
			t.Errorf("%q: status %d, want 2 (stderr %q)", args, status, errb.String())
		}
		if !strings.HasPrefix(errb.String(), "tcpretrans: ") || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("%q: stderr %q, want one tcpretrans: line", args, errb.String())
		}
	}
}

func TestHelp(t *testing.T) {
	var out strings.Builder
	if status := Applet.Exec(context.Background(), []string{"-h"}, applet.Streams{Stdout: &out, Stderr: &out}); status != 0 {
		t.Fatalf("-h: status %d", status)
	}
	for _, want := range []string{"-s, --sequence", "-l, --lossprobe", "-c, --count", "-4, --ipv4", "-6, --ipv6", "--json", "--btf", "-v, --verbose", "Examples:", "tcpretrans -l"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q", want)
		}
	}
}
