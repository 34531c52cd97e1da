package tcpcong

import (
	"bytes"
	"context"
	"encoding/binary"
	"net/netip"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/tcpcong"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var k bpfobj.TcpcongTcpcongKey
	var s bpfobj.TcpcongTcpcongStat
	var h bpfobj.TcpcongTcpcongHist
	if unsafe.Sizeof(k) != keySize || unsafe.Offsetof(k.Lport) != keyPorts || unsafe.Offsetof(k.Rport) != keyPorts+2 ||
		unsafe.Offsetof(k.Family) != keyPorts+4 || unsafe.Sizeof(s) != statSize || unsafe.Offsetof(s.Changes) != 8*states ||
		unsafe.Sizeof(h) != histSize {
		t.Fatalf("layout changed: key %d stat %d hist %d", unsafe.Sizeof(k), unsafe.Sizeof(s), unsafe.Sizeof(h))
	}
}

func stat(t *testing.T, laddr string, lport uint16, raddr string, rport uint16, ns [states]uint64, changes uint64) entry {
	k, v := make([]byte, keySize), make([]byte, statSize)
	ne := binary.NativeEndian
	la, ra := netip.MustParseAddr(laddr), netip.MustParseAddr(raddr)
	fam := uint16(2)
	if la.Is6() {
		fam = 10
	}
	copy(k, la.AsSlice())
	copy(k[16:], ra.AsSlice())
	ne.PutUint16(k[keyPorts:], lport)
	ne.PutUint16(k[keyPorts+2:], rport)
	ne.PutUint16(k[keyPorts+4:], fam)
	for i, n := range ns {
		ne.PutUint64(v[8*i:], n)
	}
	ne.PutUint64(v[8*states:], changes)
	e, err := decodeStat(k, v)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func hists(t *testing.T) []entry {
	var out []entry
	for state, slots := range map[uint32][]uint32{4: {0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1}, 0: {5, 1, 0, 3}} {
		k, v := make([]byte, 4), make([]byte, histSize)
		binary.NativeEndian.PutUint32(k, state)
		for i, n := range slots {
			binary.NativeEndian.PutUint32(v[4*i:], n)
		}
		e, err := decodeHist(k, v)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

func TestSummaryGolden(t *testing.T) {
	fixed := time.Date(2026, 12, 1, 21, 2, 3, 0, time.Local)
	for _, tt := range []struct {
		name string
		cfg  config
	}{
		{"default", config{}},
		{"micro_timestamp", config{micro: true, timestamp: true}},
		{"dist", config{dist: true}},
		{"json", config{json: true}},
		{"json_dist", config{json: true, dist: true, micro: true, timestamp: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := newPrinter(&tt.cfg)
			p.now = func() time.Time { return fixed }
			es := []entry{
				stat(t, "::1", 443, "::1", 50000, [states]uint64{2e9, 0, 0, 0, 5e6}, 3),
				stat(t, "127.0.0.1", 47990, "127.120.183.133", 35503, [states]uint64{759605123, 1500, 2e6, 3e6, 1246417000}, 4),
				stat(t, "10.1.2.3", 22, "192.0.2.1", 65535, [states]uint64{}, 1),
			}
			if tt.cfg.dist {
				es = hists(t)
			}
			var b bytes.Buffer
			p.summary(&b, es, []loader.Dropped{{Bounded: loader.Bounded{Map: "stats"}, N: 2}})
			if tt.cfg.json {
				golden.JSONLines(t, b.String())
			}
			golden.Check(t, tt.name, b.String())
		})
	}
}

func TestPortRange(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want [2]uint16
		ok   bool
	}{
		{"80", [2]uint16{80, 80}, true}, {"3000-3006", [2]uint16{3000, 3006}, true}, {"1-65535", [2]uint16{1, 65535}, true},
		{"0", [2]uint16{}, false}, {"3006-3000", [2]uint16{}, false}, {"65536", [2]uint16{}, false}, {"a-b", [2]uint16{}, false}, {"80,81", [2]uint16{}, false},
	} {
		got, err := parseRange(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("%q: %v, %v; want %v (ok %v)", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"-L", "0"}, {"-R", "9-1"}, {"-l", "x"}, {"-r", "70000"}, {"-i", "0"}, {"-o", "-1"}, {"0"}, {"1", "0"}, {"1", "2", "3"}, {"-z"}, {"--btf"}} {
		var out, errb strings.Builder
		status := Applet.Exec(context.Background(), args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		if status != 2 || !strings.HasPrefix(errb.String(), "tcpcong: ") || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("%q: status %d, stderr %q; want 2 and one tcpcong: line", args, status, errb.String())
		}
	}
}

func TestHookPrograms(t *testing.T) {
	s, err := spec()
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range (&config{dist: true, micro: true, lport: [2]uint16{1, 2}, rport: [2]uint16{3, 4}}).consts() {
		if vs, ok := s.Variables[name]; !ok || vs.Set(v) != nil {
			t.Errorf("constant %s", name)
		}
	}
	for _, h := range Hooks {
		for _, c := range h.Candidates {
			for _, a := range c.Attach {
				if s.Programs[a.Program] == nil {
					t.Errorf("%s: no program %s", h.Name, a.Program)
				}
			}
		}
	}
}
