package tcpconnect

import (
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/tcpconnect"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/netfmt"
	"github.com/probebox/probebox/internal/golden"
)

// TestLayout keeps the hand-written decoders in step with the C structs.
func TestLayout(t *testing.T) {
	var e bpfobj.TcpconnectTcpconnectEvent
	for _, c := range []struct {
		name      string
		got, want uintptr
	}{
		{"af", unsafe.Offsetof(e.Af), offAF},
		{"lport", unsafe.Offsetof(e.Lport), offAF + 2},
		{"dport", unsafe.Offsetof(e.Dport), offAF + 4},
		{"saddr", unsafe.Offsetof(e.Saddr), offSaddr},
		{"daddr", unsafe.Offsetof(e.Daddr), offDaddr},
		{"comm", unsafe.Offsetof(e.Comm), offComm},
		{"event size", unsafe.Sizeof(e), eventSize},
		{"uid", unsafe.Offsetof(e.Uid), 16},
	} {
		if c.got != c.want {
			t.Errorf("%s at %d, decoder assumes %d", c.name, c.got, c.want)
		}
	}
	var k bpfobj.TcpconnectTcpconnectKey
	if unsafe.Offsetof(k.Saddr) != keySaddr || unsafe.Offsetof(k.Daddr) != keyDaddr ||
		unsafe.Offsetof(k.Af) != keyAF || unsafe.Offsetof(k.Dport) != keyAF+4 || unsafe.Sizeof(k) != keySize {
		t.Errorf("key layout changed: %+v", k)
	}
}

func addr(af uint16, s string) [16]byte {
	var b [16]byte
	var ip []byte
	if af == netfmt.AFInet {
		var a, c, d, e byte
		fmt.Sscanf(s, "%d.%d.%d.%d", &a, &c, &d, &e)
		ip = []byte{a, c, d, e}
	} else {
		ip = []byte{15: 1} // ::1
		if s != "::1" {
			ip = []byte{0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7} // fd00::7
		}
	}
	copy(b[:], ip)
	return b
}

func sample(ts uint64, pid, uid uint32, af uint16, src, dst string, lport, dport uint16, comm string) []byte {
	b := make([]byte, eventSize)
	ne := binary.NativeEndian
	ne.PutUint64(b, ts)
	ne.PutUint32(b[8:], pid)
	ne.PutUint32(b[12:], pid+1)
	ne.PutUint32(b[16:], uid)
	ne.PutUint16(b[offAF:], af)
	ne.PutUint16(b[offAF+2:], lport)
	ne.PutUint16(b[offAF+4:], dport)
	s, d := addr(af, src), addr(af, dst)
	copy(b[offSaddr:], s[:])
	copy(b[offDaddr:], d[:])
	copy(b[offComm:offComm+16], comm)
	return b
}

var samples = [][]byte{
	sample(5_000_000_000, 1234, 0, netfmt.AFInet, "127.0.0.1", "127.0.0.1", 40000, 80, "curl"),
	sample(5_250_000_000, 99, 1000, netfmt.AFInet6, "::1", "fd00::7", 51234, 443, "averyveryverylongname"),
	sample(6_000_000_000, 4242, 65534, netfmt.AFInet, "10.0.0.2", "192.168.100.200", 1, 65535, "evil\x1b[2J"),
}

func TestFormatGolden(t *testing.T) {
	for _, tt := range []struct {
		name string
		cfg  config
	}{
		{"default", config{}},
		{"timestamp_uid", config{timestamp: true, printUID: true}},
		{"lport_sport", config{lport: true, sourcePort: true}},
		{"json", config{json: true}},
		{"json_lport_timestamp", config{json: true, lport: true, timestamp: true}},
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
			check(t, tt.name, out.String(), tt.cfg.json)
		})
	}
}

func flows() []flow {
	k := func(af uint16, src, dst string, lport, dport uint16, n uint64) flow {
		return flow{af: af, saddr: addr(af, src), daddr: addr(af, dst), lport: lport, dport: dport, connects: n}
	}
	// in map order, which is no order: the printer sorts
	return []flow{
		k(netfmt.AFInet6, "::1", "::1", 0, 8080, 2),
		k(netfmt.AFInet, "127.0.0.1", "127.0.0.1", 0, 9000, 1),
		k(netfmt.AFInet, "127.0.0.1", "127.0.0.1", 0, 8080, 12345678901),
		k(netfmt.AFInet, "10.0.0.1", "10.0.0.2", 0, 22, 3),
	}
}

func TestCountGolden(t *testing.T) {
	withPorts := flows()
	for i := range withPorts {
		withPorts[i].lport = uint16(50000 + i)
	}
	for _, tt := range []struct {
		name  string
		cfg   config
		flows []flow
	}{
		{"count", config{count: true}, flows()},
		{"count_sport", config{count: true, sourcePort: true}, withPorts},
		{"count_json", config{count: true, json: true}, flows()},
		{"count_empty", config{count: true}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			check(t, tt.name, string(newPrinter(&tt.cfg).counts(tt.flows)), tt.cfg.json)
		})
	}
}

// TestHeaders compares the headers with libbpf-tools' and bcc's printf
// formats.
func TestHeaders(t *testing.T) {
	want := fmt.Sprintf("%-6s %-16s %-2s %-16s %-16s", "PID", "COMM", "IP", "SADDR", "DADDR") + fmt.Sprintf(" %-5s\n", "DPORT")
	if got := string(newPrinter(&config{}).header()); got != want {
		t.Errorf("header %q, want %q", got, want)
	}
	want = fmt.Sprintf("%-9s%-6s", "TIME(s)", "UID") + fmt.Sprintf("%-6s %-16s %-2s %-16s %-6s %-16s", "PID", "COMM", "IP", "SADDR", "LPORT", "DADDR") +
		fmt.Sprintf(" %-5s", "SPORT") + fmt.Sprintf(" %-5s\n", "DPORT")
	if got := string(newPrinter(&config{timestamp: true, printUID: true, lport: true, sourcePort: true}).header()); got != want {
		t.Errorf("header %q, want %q", got, want)
	}
	want = fmt.Sprintf("\n%-25s %-25s", "LADDR", "RADDR") + fmt.Sprintf(" %-20s", "LPORT") + fmt.Sprintf(" %-20s", "RPORT") + fmt.Sprintf(" %-10s\n", "CONNECTS")
	if got := string(newPrinter(&config{count: true, sourcePort: true}).counts(nil)); got != want {
		t.Errorf("count header %q, want %q", got, want)
	}
}

func check(t *testing.T, name, got string, isJSON bool) {
	t.Helper()
	if strings.ContainsRune(got, 0x1b) {
		t.Error("raw ESC in output")
	}
	if isJSON {
		golden.JSONLines(t, got)
	}
	golden.Check(t, name, got)
}

func TestDecodeShort(t *testing.T) {
	var ev event
	if err := ev.decode(make([]byte, eventSize-1)); err == nil {
		t.Error("short event decoded")
	}
	if _, err := decodeFlow(make([]byte, keySize-1), 1); err == nil {
		t.Error("short key decoded")
	}
}

// TestUsage: bad values exit 2 before anything is loaded.
func TestUsage(t *testing.T) {
	for _, args := range [][]string{
		{"-p", "0"}, {"-p", "-3"}, {"-p", "x"}, {"-u", "-2"}, {"-u", "4294967295"},
		{"-4", "-6"}, {"-P", ""}, {"-P", "0"}, {"-P", "65536"}, {"-P", "80,"}, {"-P", "http"},
		{"-P", strings.Repeat("1,", maxPorts) + "1"}, {"extra"}, {"--nope"},
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
	for _, want := range []string{"-c, --count", "-p, --pid PID", "-P, --port PORTS", "-s, --source-port", "-t, --timestamp",
		"-u, --uid UID", "-U, --print-uid", "-L, --lport", "-4, --ipv4", "-6, --ipv6", "-C, --cgroup PATH", "--json", "--btf FILE",
		"Examples:", "tcpconnect -P 80,81", "tcpconnect -c"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, b.String())
		}
	}
}

// TestConsts: the flags reach the BPF constants user space rewrites.
func TestConsts(t *testing.T) {
	c := &config{pid: 7, uid: -1, family: netfmt.AFInet6, ports: []uint16{80, 443}, lport: true}
	m := c.consts()
	ports := m["filter_ports"].([maxPorts]uint16)
	if m["filter_pid"] != uint32(7) || m["filter_family"] != uint16(netfmt.AFInet6) || ports[0] != 80 || ports[1] != 443 ||
		m["filter_ports_len"] != uint32(2) || m["want_lport"] != true || m["do_count"] != false {
		t.Errorf("consts %v", m)
	}
	if _, ok := m["filter_uid"]; ok {
		t.Error("filter_uid set without -u")
	}
	if m := (&config{count: true, uid: -1}).consts(); m["want_lport"] != false || m["do_count"] != true {
		t.Errorf("-c consts %v", m)
	}
}
