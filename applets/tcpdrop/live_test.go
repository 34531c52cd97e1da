package tcpdrop

import (
	"encoding/json"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
)

// wait bounds a broken setup only; the kernel matrix runs under qemu without
// acceleration, where loading a tool alone can take over 10s.
const wait = 30 * time.Second

func TestMain(m *testing.M) { livetest.Main(m) }

func start(t *testing.T, args ...string) *livetest.Tool {
	t.Helper()
	livetest.Require(t)
	tool := livetest.Start(t, Applet, append([]string{"-v"}, args...)...)
	if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		tool.Stop()
		t.Fatalf("tcpdrop did not start: %q", tool.Stderr())
	}
	return tool
}

type drop struct {
	IP     int      `json:"ip"`
	Saddr  string   `json:"saddr"`
	Sport  int      `json:"sport"`
	Daddr  string   `json:"daddr"`
	Dport  int      `json:"dport"`
	State  string   `json:"state"`
	Flags  string   `json:"flags"`
	Reason string   `json:"reason"`
	Stack  []string `json:"stack"`
}

func waitDrop(t *testing.T, tool *livetest.Tool, match func(d drop) bool) drop {
	t.Helper()
	var d drop
	if _, ok := tool.WaitStdout(t, wait, func(l string) bool {
		d = drop{}
		return json.Unmarshal([]byte(l), &d) == nil && match(d)
	}); !ok {
		t.Fatalf("no matching drop in %q", tool.Stdout())
	}
	return d
}

// TestLiveNetfilterDrop: an nftables input drop on a connection's server
// port in a test namespace (IPv4 and IPv6): the client's segments are
// reported with addresses, ports, flags, the NETFILTER_DROP reason and a
// kernel stack through the netfilter hook.
func TestLiveNetfilterDrop(t *testing.T) {
	tool := start(t, "--json")
	n := livetest.NewNetns(t)
	c4, c6 := n.Connect(t, "127.0.0.1"), n.Connect(t, "::1")
	n.DropInput(t, c4.SPort, c6.SPort)
	c4.KeepSending(t)
	c6.KeepSending(t)
	for _, tc := range []struct {
		c    *livetest.Conn
		ip   int
		addr string
	}{{c4, 4, "127.0.0.1"}, {c6, 6, "::1"}} {
		d := waitDrop(t, tool, func(d drop) bool { return d.Sport == tc.c.CPort && d.Dport == tc.c.SPort })
		if d.IP != tc.ip || d.Saddr != tc.addr || d.Daddr != tc.addr || !strings.Contains(d.Flags, "ACK") || d.Reason != "NETFILTER_DROP" {
			t.Errorf("%s: drop %+v: want IPv%d, ACK set, NETFILTER_DROP", tc.addr, d, tc.ip)
		}
		if !strings.Contains(strings.Join(d.Stack, " "), "nf_hook_slow") {
			t.Errorf("%s: stack %q does not pass nf_hook_slow", tc.addr, d.Stack)
		}
	}
	if status := tool.Stop(); status != 0 {
		t.Errorf("exit status %d; stderr %q", status, tool.Stderr())
	}
}

// TestLiveNoSocket: a connect to a port nobody listens on in a test
// namespace: the SYN is dropped with reason NO_SOCKET (and refused with
// a reset); -6 keeps the IPv4 one out.
func TestLiveNoSocket(t *testing.T) {
	tool := start(t, "--json", "-6")
	n := livetest.NewNetns(t)
	var ports []int
	n.Do(t, func() {
		for _, a := range []string{"127.0.0.1", "[::1]"} {
			ln, err := net.Listen("tcp", a+":0") // a free port, closed again
			if err != nil {
				t.Error(err)
				return
			}
			ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
			ln.Close()
			if c, err := net.Dial("tcp", ln.Addr().String()); err == nil {
				c.Close()
				t.Errorf("connect to closed port %s succeeded", ln.Addr())
			}
		}
	})
	if len(ports) != 2 {
		t.FailNow()
	}
	d := waitDrop(t, tool, func(d drop) bool { return d.Dport == ports[1] })
	if d.IP != 6 || d.Saddr != "::1" || d.Daddr != "::1" || d.Flags != "SYN" || d.Reason != "NO_SOCKET" || d.State != "-" {
		t.Errorf("drop %+v: want an IPv6 SYN, NO_SOCKET, no socket state", d)
	}
	tool.Stop()
	for _, l := range tool.Stdout() {
		var d drop
		if json.Unmarshal([]byte(l), &d) == nil && (d.IP != 6 || d.Dport == ports[0]) {
			t.Errorf("-6 reported %q", l)
		}
	}
}
