package tcpaccept

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/tcpaccept"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/netfmt"
	"github.com/probebox/probebox/internal/golden"
)

// TestLayout keeps the hand-written decoder in step with the C struct.
func TestLayout(t *testing.T) {
	var e bpfobj.TcpacceptTcpacceptEvent
	for _, c := range []struct {
		name      string
		got, want uintptr
	}{
		{"af", unsafe.Offsetof(e.Af), offAF},
		{"lport", unsafe.Offsetof(e.Lport), offAF + 2},
		{"rport", unsafe.Offsetof(e.Rport), offAF + 4},
		{"laddr", unsafe.Offsetof(e.Laddr), offLaddr},
		{"raddr", unsafe.Offsetof(e.Raddr), offRaddr},
		{"comm", unsafe.Offsetof(e.Comm), offComm},
		{"size", unsafe.Sizeof(e), eventSize},
		{"tid", unsafe.Offsetof(e.Tid), 12},
	} {
		if c.got != c.want {
			t.Errorf("%s at %d, decoder assumes %d", c.name, c.got, c.want)
		}
	}
}

func sample(ts uint64, pid uint32, af uint16, laddr, raddr []byte, lport, rport uint16, comm string) []byte {
	b := make([]byte, eventSize)
	ne := binary.NativeEndian
	ne.PutUint64(b, ts)
	ne.PutUint32(b[8:], pid)
	ne.PutUint32(b[12:], pid+2)
	ne.PutUint16(b[offAF:], af)
	ne.PutUint16(b[offAF+2:], lport)
	ne.PutUint16(b[offAF+4:], rport)
	copy(b[offLaddr:offLaddr+16], laddr)
	copy(b[offRaddr:offRaddr+16], raddr)
	copy(b[offComm:offComm+16], comm)
	return b
}

var (
	lo4    = []byte{127, 0, 0, 1}
	lo6    = []byte{15: 1}
	mapped = []byte{10: 0xff, 11: 0xff, 12: 127, 13: 0, 14: 0, 15: 1}
)

var samples = [][]byte{
	sample(7_000_000_000, 1234, netfmt.AFInet, lo4, lo4, 8080, 51234, "nginx"),
	sample(7_500_000_000, 22, netfmt.AFInet6, lo6, lo6, 22, 40000, "sshd-session-long"),
	sample(9_123_000_000, 4242, netfmt.AFInet6, mapped, mapped, 443, 1, "evil\x1b]0;x\a"),
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 11, 25, 9, 8, 7, 0, time.Local)
	for _, tt := range []struct {
		name string
		cfg  config
	}{
		{"default", config{}},
		{"time_timestamp", config{time: true, timestamp: true}},
		{"json", config{json: true}},
		{"json_time_timestamp", config{json: true, time: true, timestamp: true}},
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
			got := out.String()
			if strings.ContainsAny(got, "\x1b\a") {
				t.Error("raw control character in output")
			}
			if tt.cfg.json {
				for _, l := range strings.Split(strings.TrimSpace(got), "\n") {
					var m map[string]any
					if err := json.Unmarshal([]byte(l), &m); err != nil {
						t.Errorf("%q: %v", l, err)
					}
				}
			}
			golden.Check(t, tt.name, got)
		})
	}
}

// TestHeader compares the header with bcc's printf formats.
func TestHeader(t *testing.T) {
	want := fmt.Sprintf("%-9s", "TIME") + fmt.Sprintf("%-9s", "TIME(s)") +
		fmt.Sprintf("%-7s %-12s %-2s %-16s %-5s %-16s %-5s\n", "PID", "COMM", "IP", "RADDR", "RPORT", "LADDR", "LPORT")
	if got := string(newPrinter(&config{time: true, timestamp: true}).header()); got != want {
		t.Errorf("header %q, want %q", got, want)
	}
}

func TestDecodeShort(t *testing.T) {
	var ev event
	if err := ev.decode(make([]byte, eventSize-1)); err == nil {
		t.Error("short event decoded")
	}
}

// TestUsage: bad values exit 2 before anything is loaded.
func TestUsage(t *testing.T) {
	for _, args := range [][]string{
		{"-p", "0"}, {"-p", "-1"}, {"-p", "x"}, {"-4", "-6"}, {"-P", ""}, {"-P", "0"}, {"-P", "70000"},
		{"-P", "22,,80"}, {"-P", strings.Repeat("1,", maxPorts) + "1"}, {"extra"}, {"--cgroupmap", "x"},
	} {
		tool := livetest.Start(t, Applet, args...)
		status, exited := tool.Exited(wait)
		if !exited || status != 2 {
			t.Errorf("%q: exited %v status %d, want 2", args, exited, status)
			continue
		}
		if len(tool.Stderr()) == 0 {
			t.Errorf("%q: no message", args)
		}
	}
}

func TestHelp(t *testing.T) {
	var b strings.Builder
	Applet.WriteHelp(&b)
	for _, want := range []string{"-T, --time", "-t, --timestamp", "-p, --pid PID", "-P, --port PORTS", "-4, --ipv4", "-6, --ipv6",
		"-c, --cgroup PATH", "--json", "--btf FILE", "Examples:", "tcpaccept -P 80,81"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, b.String())
		}
	}
}

func TestConsts(t *testing.T) {
	m := (&config{pid: 9, family: netfmt.AFInet, ports: []uint16{22}}).consts()
	if m["filter_pid"] != uint32(9) || m["filter_family"] != uint16(netfmt.AFInet) || m["filter_ports_len"] != uint32(1) ||
		m["filter_ports"].([maxPorts]uint16)[0] != 22 {
		t.Errorf("consts %v", m)
	}
	if m := (&config{}).consts(); m["filter_family"] != uint16(0) || m["filter_ports_len"] != nil || m["filter_pid"] != nil {
		t.Errorf("default consts %v", m)
	}
}
