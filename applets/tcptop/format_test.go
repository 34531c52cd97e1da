package tcptop

import (
	"bytes"
	"context"
	"encoding/binary"
	"net/netip"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/tcptop"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var k bpfobj.TcptopTcptopKey
	var v bpfobj.TcptopTcptopTraffic
	if unsafe.Sizeof(k) != keySize || unsafe.Offsetof(k.Pid) != keyPID || unsafe.Offsetof(k.Family) != keyFamily ||
		unsafe.Offsetof(k.Comm) != keyComm || unsafe.Offsetof(k.Lport) != keyPID+4 || unsafe.Sizeof(v) != 16 {
		t.Fatalf("layout changed: key %d", unsafe.Sizeof(k))
	}
}

func key(pid uint32, comm string, laddr string, lport uint16, raddr string, rport uint16) []byte {
	k := make([]byte, keySize)
	ne := binary.NativeEndian
	la, ra := netip.MustParseAddr(laddr), netip.MustParseAddr(raddr)
	if la.Is4() {
		l, r := la.As4(), ra.As4()
		copy(k, l[:])
		copy(k[16:], r[:])
		ne.PutUint16(k[keyFamily:], 2)
	} else {
		l, r := la.As16(), ra.As16()
		copy(k, l[:])
		copy(k[16:], r[:])
		ne.PutUint16(k[keyFamily:], 10)
	}
	ne.PutUint32(k[keyPID:], pid)
	ne.PutUint16(k[keyPID+4:], lport)
	ne.PutUint16(k[keyPID+6:], rport)
	copy(k[keyComm:keyComm+15], comm)
	return k
}

func flows(t *testing.T) []flow {
	var fs []flow
	for _, f := range []struct {
		k        []byte
		sent, rx uint64
	}{
		{key(4242, "curl", "127.0.0.1", 41234, "127.0.0.1", 80), 1 << 20, 3 << 20},
		{key(1, "::1-server", "::1", 443, "::1", 50000), 9999, 1},
		{key(99999, "evil\x1b[31mred-long", "127.1.2.3", 22, "127.100.200.250", 65535), 100 << 20, 0},
		{key(7, "sshd", "::ffff:127.0.0.1", 22, "::ffff:127.0.0.2", 1), 5 << 30, 1 << 30},
	} {
		x, err := decodeFlow(f.k, f.sent, f.rx)
		if err != nil {
			t.Fatal(err)
		}
		fs = append(fs, x)
	}
	return fs
}

func TestSummaryGolden(t *testing.T) {
	fixed := time.Date(2026, 12, 1, 21, 2, 3, 0, time.Local)
	for _, tt := range []struct {
		name string
		cfg  config
	}{
		{"default", config{rows: 20}},
		{"sent_rows", config{rows: 3, sort: sortSent, noSummary: true}},
		{"received", config{rows: 20, sort: sortReceived}},
		{"json", config{rows: 20, json: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := &printer{cfg: &tt.cfg, now: func() time.Time { return fixed }, pidWidth: 7}
			var b bytes.Buffer
			p.summary(&b, flows(t), []loader.Dropped{{Bounded: loader.Bounded{Map: "flows"}, N: 3}}, "0.50 0.40 0.30 2/300 12345")
			if tt.cfg.json {
				golden.JSONLines(t, b.String())
			}
			golden.Check(t, tt.name, b.String())
		})
	}
}

func TestHookPrograms(t *testing.T) {
	s, err := spec()
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range (&config{pid: 3, family: 10}).consts() {
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

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"-4", "-6"}, {"-p", "0"}, {"-r", "0"}, {"-s", "bytes"}, {"0"}, {"1", "0"}, {"1", "2", "3"}, {"-z"}, {"--btf"}} {
		var out, errb strings.Builder
		status := Applet.Exec(context.Background(), args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		if status != 2 || !strings.HasPrefix(errb.String(), "tcptop: ") || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("%q: status %d, stderr %q; want 2 and one tcptop: line", args, status, errb.String())
		}
	}
}

// TestLiveFunctionProgramsVerify: the kprobe programs (and fentry where
// the kernel allows it) pass the verifier here, even where they cannot
// attach.
func TestLiveFunctionProgramsVerify(t *testing.T) {
	livetest.Require(t)
	s, err := spec()
	if err != nil {
		t.Fatal(err)
	}
	fentry := attach.Running.Supports(attach.Fentry) == nil
	keep := map[string]bool{"kprobe_sendmsg": true, "kprobe_cleanup_rbuf": true, "fentry_sendmsg": fentry, "fentry_cleanup_rbuf": fentry}
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
