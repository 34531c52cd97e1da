package tcprtt

import (
	"bytes"
	"context"
	"encoding/binary"
	"net/netip"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/tcprtt"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var k bpfobj.TcprttTcprttKey
	var h bpfobj.TcprttTcprttHist
	if unsafe.Sizeof(k) != keySize || unsafe.Offsetof(k.Family) != keyAFOff || unsafe.Sizeof(h) != valueSize ||
		unsafe.Offsetof(h.Slots) != 16 || len(h.Slots) != maxSlots {
		t.Fatalf("layout changed: key %d value %d", unsafe.Sizeof(k), unsafe.Sizeof(h))
	}
}

func rawEntry(addr string, latency, cnt uint64, slots map[int]uint32) (k, v []byte) {
	k, v = make([]byte, keySize), make([]byte, valueSize)
	ne := binary.NativeEndian
	if addr != "" {
		a := netip.MustParseAddr(addr)
		if a.Is4() {
			b := a.As4()
			copy(k, b[:])
			ne.PutUint16(k[keyAFOff:], 2)
		} else {
			b := a.As16()
			copy(k, b[:])
			ne.PutUint16(k[keyAFOff:], 10)
		}
	}
	ne.PutUint64(v, latency)
	ne.PutUint64(v[8:], cnt)
	for i, n := range slots {
		ne.PutUint32(v[16+i*4:], n)
	}
	return k, v
}

func entries(t *testing.T, addrs ...string) []entry {
	var out []entry
	for i, a := range addrs {
		k, v := rawEntry(a, 1000*uint64(i+1)*7, 7, map[int]uint32{4: 3, 6: uint32(10 * (i + 1)), 9: 1})
		e, err := decodeEntry(k, v)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

func TestSummaryGolden(t *testing.T) {
	fixed := time.Date(2026, 12, 1, 21, 2, 3, 0, time.Local)
	dropped := []loader.Dropped{{Bounded: loader.Bounded{Map: "hists"}, N: 2}}
	for _, tt := range []struct {
		name  string
		cfg   config
		addrs []string
	}{
		{"all", config{}, []string{""}},
		{"laddr_ext_ts", config{key: keyLaddr, extended: true, timestamp: true}, []string{"127.0.0.1", "::1"}},
		{"raddr_ms", config{key: keyRaddr, ms: true}, []string{"127.0.0.2"}},
		{"json", config{json: true, key: keyRaddr, extended: true, timestamp: true}, []string{"127.0.0.1", "::1"}},
		{"json_all", config{json: true}, []string{""}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := newPrinter(&tt.cfg)
			p.now = func() time.Time { return fixed }
			var b bytes.Buffer
			p.summary(&b, entries(t, tt.addrs...), dropped)
			if tt.cfg.json {
				golden.JSONLines(t, b.String())
			}
			golden.Check(t, tt.name, b.String())
		})
	}
}

func TestConfig(t *testing.T) {
	for _, tt := range []struct {
		args         map[string]string
		every        time.Duration
		count        int
		banner, unit string
	}{
		{nil, 0, 0, "Tracing TCP RTT... Hit Ctrl-C to end.\n", "usecs"},
		{map[string]string{"duration": "1"}, time.Second, 1, "Tracing TCP RTT for 1 secs.\n", "usecs"},
		{map[string]string{"interval": "2", "duration": "5"}, 2 * time.Second, 3, "Tracing TCP RTT for 5 secs.\n", "usecs"},
		{map[string]string{"interval": "1"}, time.Second, 0, "Tracing TCP RTT... Hit Ctrl-C to end.\n", "usecs"},
	} {
		args := []string{}
		for k, v := range tt.args {
			args = append(args, "--"+k, v)
		}
		var cfg *config
		a := *Applet
		a.Run = func(_ context.Context, inv *applet.Invocation) error {
			var err error
			cfg, err = newConfig(inv)
			return err
		}
		if st := a.Exec(context.Background(), args, applet.Streams{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}}); st != 0 {
			t.Fatalf("%q: status %d", args, st)
		}
		if cfg.every != tt.every || cfg.count != tt.count || cfg.banner() != tt.banner || cfg.unit() != tt.unit {
			t.Errorf("%q: every %v count %d banner %q", args, cfg.every, cfg.count, cfg.banner())
		}
	}
}

func TestConsts(t *testing.T) {
	spec, err := bpfobj.LoadTcprtt()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []config{{}, {lport: 80, rport: 443, laddr: netip.MustParseAddr("127.0.0.1"), raddr: netip.MustParseAddr("127.0.0.2"), key: keyRaddr, ms: true, extended: true},
		{laddr: netip.MustParseAddr("::1")}} {
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
	for _, args := range [][]string{{"-b", "-B"}, {"-i", "0"}, {"-d", "-1"}, {"-p", "0"}, {"-P", "70000"}, {"-p", "x"},
		{"-a", "nonsense"}, {"-A", "::1", "-a", "127.0.0.1"}, {"-a", "fe80::1%lo"}, {"extra"}, {"-x"}, {"--btf"}} {
		var out, errb strings.Builder
		status := Applet.Exec(context.Background(), args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		if status != 2 {
			t.Errorf("%q: status %d, want 2 (stderr %q)", args, status, errb.String())
		}
		if !strings.HasPrefix(errb.String(), "tcprtt: ") || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("%q: stderr %q, want one tcprtt: line", args, errb.String())
		}
	}
}

func TestHelp(t *testing.T) {
	var out strings.Builder
	if status := Applet.Exec(context.Background(), []string{"-h"}, applet.Streams{Stdout: &out, Stderr: &out}); status != 0 {
		t.Fatalf("-h: status %d", status)
	}
	for _, want := range []string{"-i, --interval", "-d, --duration", "-T, --timestamp", "-m, --millisecond", "-p, --lport", "-P, --rport", "-a, --laddr", "-A, --raddr", "-b, --byladdr", "-B, --byraddr", "-e, --extension", "--json", "Examples:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q", want)
		}
	}
}
