package tcplife

import (
	"encoding/json"
	"net"
	"os"
	"strconv"
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
		t.Fatalf("tcplife did not start: %q", tool.Stderr())
	}
	return tool
}

type jsonEvent struct {
	PID     int     `json:"pid"`
	Comm    string  `json:"comm"`
	IP      int     `json:"ip"`
	Laddr   string  `json:"laddr"`
	Lport   int     `json:"lport"`
	Raddr   string  `json:"raddr"`
	Rport   int     `json:"rport"`
	TxBytes uint64  `json:"tx_bytes"`
	RxBytes uint64  `json:"rx_bytes"`
	MS      float64 `json:"ms"`
}

// waitJSON waits for the session line of local port lport and remote
// port rport.
func waitJSON(t *testing.T, tool *livetest.Tool, lport, rport int) jsonEvent {
	t.Helper()
	var e jsonEvent
	_, ok := tool.WaitStdout(t, wait, func(l string) bool {
		e = jsonEvent{}
		return json.Unmarshal([]byte(l), &e) == nil && e.Lport == lport && e.Rport == rport
	})
	if !ok {
		t.Fatalf("no session %d -> %d in %q", lport, rport, tool.Stdout())
	}
	return e
}

// TestLiveSessions: an IPv4 and an IPv6 session of known byte counts, the
// client a helper process and the server this test: both ends are
// reported with the right process and exactly the bytes each way, in
// --json and in the wide text layout.
func TestLiveSessions(t *testing.T) {
	js := start(t, "--json")
	text := start(t, "-wT")
	n := livetest.NewNetns(t)
	begin := time.Now()
	sessions := map[string]*livetest.Session{
		"127.0.0.1": livetest.TCPSession(t, n, "pbx-life4", "127.0.0.1", 3000, 70001),
		"::1":       livetest.TCPSession(t, n, "pbx-life6", "::1", 100000, 1),
	}
	elapsedMS := float64(time.Since(begin).Milliseconds())
	ip := map[string]int{"127.0.0.1": 4, "::1": 6}
	for addr, s := range sessions {
		// The kernel's byte counts (tcp_info's bytes_acked and
		// bytes_received, what every tcplife reports) take in the
		// sequence number each SYN and FIN uses: the client's SYN is
		// acknowledged in its count, the server's is not (its socket is
		// made after the handshake); both FINs are. The FIN the client
		// receives while closing is counted by 6.18, not by 6.1.
		const syn, fin = 1, 1
		client := waitJSON(t, js, s.ClientPort, s.SrvPort)
		if client.RxBytes == uint64(s.SrvSent) {
			client.RxBytes += fin
		}
		want := jsonEvent{PID: s.ClientPID, Comm: "pbx-life" + strconv.Itoa(ip[addr]), IP: ip[addr], Laddr: addr, Lport: s.ClientPort,
			Raddr: addr, Rport: s.SrvPort, TxBytes: uint64(s.ClientSent + syn + fin), RxBytes: uint64(s.SrvSent + fin), MS: client.MS}
		if client != want {
			t.Errorf("client end:\n got %+v\nwant %+v", client, want)
		}
		server := waitJSON(t, js, s.SrvPort, s.ClientPort)
		// The server closed second, after the client's FIN: LAST_ACK
		// names this process.
		want = jsonEvent{PID: os.Getpid(), Comm: server.Comm, IP: ip[addr], Laddr: addr, Lport: s.SrvPort,
			Raddr: addr, Rport: s.ClientPort, TxBytes: uint64(s.SrvSent + fin), RxBytes: uint64(s.ClientSent + fin), MS: server.MS}
		if server != want {
			t.Errorf("server end:\n got %+v\nwant %+v", server, want)
		}
		for _, e := range []jsonEvent{client, server} {
			if e.MS <= 0 || e.MS > elapsedMS+1 {
				t.Errorf("%+v: MS not within the %vms the sessions took", e, elapsedMS)
			}
		}
		// -w: TIME PID COMM IP LADDR LPORT RADDR RPORT TX_KB RX_KB MS
		line, ok := text.WaitStdout(t, wait, func(l string) bool {
			f := strings.Fields(l)
			return len(f) == 11 && f[5] == strconv.Itoa(s.ClientPort) && f[7] == strconv.Itoa(s.SrvPort)
		})
		if !ok {
			t.Fatalf("-w: no line for client port %d in %q", s.ClientPort, text.Stdout())
		}
		f := strings.Fields(line)
		wantF := []string{f[0], strconv.Itoa(s.ClientPID), "pbx-life" + strconv.Itoa(ip[addr]), strconv.Itoa(ip[addr]), addr, strconv.Itoa(s.ClientPort),
			addr, strconv.Itoa(s.SrvPort), strconv.Itoa((s.ClientSent + syn + fin) / 1024), strconv.Itoa((s.SrvSent + fin) / 1024), f[10]}
		if strings.Join(f, " ") != strings.Join(wantF, " ") {
			t.Errorf("-w line %q, want fields %q", line, wantF)
		}
		if _, err := time.Parse("15:04:05", f[0]); err != nil {
			t.Errorf("TIME %q: %v", f[0], err)
		}
	}
	if text.Stdout()[0] != "TIME     PID   COMM             IP LADDR                      LPORT RADDR                      RPORT  TX_KB  RX_KB MS" {
		t.Errorf("-wT header %q", text.Stdout()[0])
	}
	for _, tool := range []*livetest.Tool{js, text} {
		if status := tool.Stop(); status != 0 {
			t.Errorf("exit status %d; stderr %q", status, tool.Stderr())
		}
	}
}

// TestLiveFilters: -4, -p, -L and -D are applied in the kernel: each run
// sees only the sessions and ends it asked for.
func TestLiveFilters(t *testing.T) {
	n := livetest.NewNetns(t)
	ln := n.Listen(t, "127.0.0.1:0") // its port is known before the session
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	v4 := start(t, "--json", "-4")
	self := start(t, "--json", "-p", strconv.Itoa(os.Getpid()))
	local := start(t, "--json", "-L", "1,"+port)
	remote := start(t, "--json", "-D", port+",2")
	s4 := livetest.TCPSessionOn(t, n, ln, "pbx-life4", 10, 20)
	s6 := livetest.TCPSession(t, n, "pbx-life6", "::1", 30, 40)
	waitJSON(t, v4, s4.ClientPort, s4.SrvPort)
	waitJSON(t, v4, s4.SrvPort, s4.ClientPort)
	waitJSON(t, self, s4.SrvPort, s4.ClientPort)
	waitJSON(t, self, s6.SrvPort, s6.ClientPort)
	waitJSON(t, local, s4.SrvPort, s4.ClientPort)
	waitJSON(t, remote, s4.ClientPort, s4.SrvPort)
	for _, tc := range []struct {
		tool *livetest.Tool
		what string
		ok   func(e jsonEvent) bool
	}{
		{v4, "-4", func(e jsonEvent) bool { return e.IP == 4 }},
		{self, "-p", func(e jsonEvent) bool { return e.PID == os.Getpid() }},
		{local, "-L", func(e jsonEvent) bool { return strconv.Itoa(e.Lport) == port }},
		{remote, "-D", func(e jsonEvent) bool { return strconv.Itoa(e.Rport) == port }},
	} {
		if status := tc.tool.Stop(); status != 0 {
			t.Errorf("%s: exit status %d; stderr %q", tc.what, status, tc.tool.Stderr())
		}
		for _, l := range tc.tool.Stdout() {
			var e jsonEvent
			if err := json.Unmarshal([]byte(l), &e); err != nil || !tc.ok(e) {
				t.Errorf("%s reported %q (%v)", tc.what, l, err)
			}
		}
	}
}

// TestLiveHooks: every hook candidate reports a session alike.
func TestLiveHooks(t *testing.T) {
	for _, tc := range []struct{ disable, hook string }{
		{"", "using tp_btf inet_sock_set_state"},
		{"tp_btf", "using raw_tracepoint inet_sock_set_state"},
		{"tp_btf,raw_tracepoint", "using tracepoint sock:inet_sock_set_state"},
	} {
		t.Run("disable="+tc.disable, func(t *testing.T) {
			if tc.disable != "" && livetest.RerunFresh(t, "PROBEBOX_DISABLE="+tc.disable) {
				return
			}
			t.Setenv("PROBEBOX_DISABLE", tc.disable)
			tool := start(t, "--json")
			s := livetest.TCPSession(t, livetest.NewNetns(t), "pbx-life", "127.0.0.1", 500, 600)
			e := waitJSON(t, tool, s.ClientPort, s.SrvPort)
			if e.PID != s.ClientPID || e.Comm != "pbx-life" || e.TxBytes != 502 || (e.RxBytes != 600 && e.RxBytes != 601) {
				t.Errorf("session %+v, want PID %d, 500+2 bytes sent, 600 (+1 for the FIN on newer kernels) received", e, s.ClientPID)
			}
			if !strings.Contains(strings.Join(tool.Stderr(), "\n"), tc.hook) {
				t.Errorf("-v does not say %q: %q", tc.hook, tool.Stderr())
			}
		})
	}
}
