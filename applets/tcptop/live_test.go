package tcptop

import (
	"encoding/json"
	"os"
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
		t.Fatalf("tcptop did not start: %q", tool.Stderr())
	}
	return tool
}

type conn struct {
	PID     int    `json:"pid"`
	Comm    string `json:"comm"`
	IP      int    `json:"ip"`
	Laddr   string `json:"laddr"`
	Lport   int    `json:"lport"`
	Raddr   string `json:"raddr"`
	Rport   int    `json:"rport"`
	RxBytes uint64 `json:"rx_bytes"`
	TxBytes uint64 `json:"tx_bytes"`
}

// totals sums each connection's bytes over all the tool's summaries.
func totals(t *testing.T, tool *livetest.Tool) map[[2]int]conn {
	t.Helper()
	out := map[[2]int]conn{}
	for _, l := range tool.Stdout() {
		var s struct{ Connections []conn }
		if err := json.Unmarshal([]byte(l), &s); err != nil {
			t.Fatalf("not JSON: %q", l)
		}
		for _, c := range s.Connections {
			k := [2]int{c.PID, c.Lport}
			sum := out[k]
			c.RxBytes += sum.RxBytes
			c.TxBytes += sum.TxBytes
			out[k] = c
		}
	}
	return out
}

// TestLiveSessionBytes: sessions of known byte counts both ways (IPv4 and
// IPv6) between a helper process and this test, in a test namespace: each
// side shows its PID, comm and exactly the bytes it sent and received;
// -4 and -p filter in the kernel.
func TestLiveSessionBytes(t *testing.T) {
	all := start(t, "--json", "-C", "1")
	v4self := start(t, "--json", "-4", "-p", itoa(os.Getpid()), "1")
	n := livetest.NewNetns(t)
	s4 := livetest.TCPSession(t, n, "pbx-top4", "127.0.0.1", 123457, 7000)
	s6 := livetest.TCPSession(t, n, "pbx-top6", "::1", 4321, 65536)
	all.Stop()
	v4self.Stop()
	got := totals(t, all)
	self := []byte(readComm(t))
	for _, tc := range []struct {
		s    *livetest.Session
		ip   int
		addr string
		comm string
	}{{s4, 4, "127.0.0.1", "pbx-top4"}, {s6, 6, "::1", "pbx-top6"}} {
		client := got[[2]int{tc.s.ClientPID, tc.s.ClientPort}]
		want := conn{PID: tc.s.ClientPID, Comm: tc.comm, IP: tc.ip, Laddr: tc.addr, Lport: tc.s.ClientPort, Raddr: tc.addr, Rport: tc.s.SrvPort,
			RxBytes: uint64(tc.s.SrvSent), TxBytes: uint64(tc.s.ClientSent)}
		if client != want {
			t.Errorf("client:\n got %+v\nwant %+v", client, want)
		}
		server := got[[2]int{os.Getpid(), tc.s.SrvPort}]
		want = conn{PID: os.Getpid(), Comm: string(self), IP: tc.ip, Laddr: tc.addr, Lport: tc.s.SrvPort, Raddr: tc.addr, Rport: tc.s.ClientPort,
			RxBytes: uint64(tc.s.ClientSent), TxBytes: uint64(tc.s.SrvSent)}
		if server != want {
			t.Errorf("server:\n got %+v\nwant %+v", server, want)
		}
	}
	filtered := totals(t, v4self)
	if c := filtered[[2]int{os.Getpid(), s4.SrvPort}]; c.RxBytes != uint64(s4.ClientSent) {
		t.Errorf("-4 -p: server of the IPv4 session %+v, want its %d bytes received", c, s4.ClientSent)
	}
	for k, c := range filtered {
		if c.IP != 4 || k[0] != os.Getpid() {
			t.Errorf("-4 -p %d reported %+v", os.Getpid(), c)
		}
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func readComm(t *testing.T) string {
	b, err := os.ReadFile("/proc/self/comm")
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}
