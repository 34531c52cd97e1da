package tcpsubnet

import (
	"bytes"
	"context"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/tcpsubnet"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/internal/golden"
)

func TestSummaryGolden(t *testing.T) {
	fixed := time.Date(2026, 12, 1, 21, 2, 3, 0, time.Local)
	subnets, err := parseSubnets(defaultSubnets + ",::/0")
	if err != nil {
		t.Fatal(err)
	}
	ts := []traffic{{0, 15000}, {1, 3 << 20}, {4, 1}, {5, 123456789}}
	for _, tt := range []struct {
		name   string
		format byte
		json   bool
	}{
		{"bytes", 'B', false},
		{"kbytes", 'K', false},
		{"mbits", 'm', false},
		{"bits", 'b', false},
		{"json", 'B', true},
		{"json_kbits", 'k', true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := &printer{cfg: &config{subnets: subnets, format: tt.format, json: tt.json}, now: func() time.Time { return fixed }}
			var b bytes.Buffer
			p.summary(&b, ts)
			p.summary(&b, nil) // an interval with no sends: the clock only
			if tt.json {
				golden.JSONLines(t, b.String())
			}
			golden.Check(t, tt.name, b.String())
		})
	}
}

// TestMasks: the kernel's table holds each subnet's network and mask in
// network order; host bits the user wrote are masked off; an IPv4-mapped
// IPv6 subnet is an IPv4 one (the kernel unmaps such peers too).
func TestMasks(t *testing.T) {
	tests := []struct {
		subnet    string
		family    uint16
		net, mask string // hex of the significant bytes
	}{
		{"127.1.2.3/24", 2, "7f010200", "ffffff00"},
		{"10.0.0.0/9", 2, "0a000000", "ff800000"},
		{"0.0.0.0/0", 2, "00000000", "00000000"},
		{"192.0.2.7", 2, "c0000207", "ffffffff"},
		{"::ffff:192.168.1.1/112", 2, "c0a80000", "ffff0000"},
		{"::1/128", 10, "00000000000000000000000000000001", "ffffffffffffffffffffffffffffffff"},
		{"fe80::1/10", 10, "fe800000000000000000000000000000", "ffc00000000000000000000000000000"},
	}
	for _, tt := range tests {
		subnets, err := parseSubnets(tt.subnet)
		if err != nil {
			t.Fatal(err)
		}
		consts := (&config{subnets: subnets}).consts()
		nets := consts["nets"].([maxNets]bpfobj.TcpsubnetTcpsubnetNet)
		n := nets[0]
		size := len(tt.net) / 2
		if consts["nets_len"] != uint32(1) || n.Family != tt.family ||
			hex.EncodeToString(n.Net[:size]) != tt.net || hex.EncodeToString(n.Mask[:size]) != tt.mask ||
			!allZero(n.Net[size:]) || !allZero(n.Mask[size:]) {
			t.Errorf("%s: family %d net %x mask %x; want %d %s %s", tt.subnet, n.Family, n.Net, n.Mask, tt.family, tt.net, tt.mask)
		}
	}
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"-i", "0"}, {"-i", "x"}, {"-f", "G"}, {"-f", "BB"}, {"10.0.0.0/33"}, {"10.0.0.0/8,"}, {"example.com/8"},
		{"1.2.3.4/32", "5.6.7.8/32"}, {"-z"}, {"--btf"}, {strings.Repeat("10.0.0.0/8,", 64) + "0.0.0.0/0"},
	} {
		var out, errb strings.Builder
		status := Applet.Exec(context.Background(), args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		if status != 2 || !strings.HasPrefix(errb.String(), "tcpsubnet: ") || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("%q: status %d, stderr %q; want 2 and one tcpsubnet: line", args, status, errb.String())
		}
	}
}

func TestHookPrograms(t *testing.T) {
	s, err := spec()
	if err != nil {
		t.Fatal(err)
	}
	c := &config{}
	if c.subnets, err = parseSubnets(defaultSubnets); err != nil {
		t.Fatal(err)
	}
	for name, v := range c.consts() {
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

// TestLiveFunctionProgramsVerify: the kprobe program (and fentry where
// the kernel allows it) passes the verifier here, even where it cannot
// attach.
func TestLiveFunctionProgramsVerify(t *testing.T) {
	livetest.Require(t)
	s, err := spec()
	if err != nil {
		t.Fatal(err)
	}
	keep := map[string]bool{"kprobe_sendmsg": true, "fentry_sendmsg": attach.Running.Supports(attach.Fentry) == nil}
	for name := range s.Programs {
		if !keep[name] {
			delete(s.Programs, name)
		}
	}
	coll, err := ebpf.NewCollection(s)
	if err != nil {
		t.Fatalf("loading %v: %v", keep, err)
	}
	coll.Close()
}
