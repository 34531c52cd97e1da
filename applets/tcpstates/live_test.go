package tcpstates

import (
	"encoding/json"
	"fmt"
	"io"
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
		t.Fatalf("tcpstates did not start: %q", tool.Stderr())
	}
	return tool
}

type change struct {
	Skaddr   string  `json:"skaddr"`
	PID      int     `json:"pid"`
	IP       int     `json:"ip"`
	Laddr    string  `json:"laddr"`
	Lport    int     `json:"lport"`
	Raddr    string  `json:"raddr"`
	Rport    int     `json:"rport"`
	Oldstate string  `json:"oldstate"`
	Newstate string  `json:"newstate"`
	MS       float64 `json:"ms"`
}

func changes(t *testing.T, tool *livetest.Tool) []change {
	t.Helper()
	var out []change
	for _, l := range tool.Stdout() {
		var c change
		if err := json.Unmarshal([]byte(l), &c); err != nil {
			t.Fatalf("not JSON: %q", l)
		}
		out = append(out, c)
	}
	return out
}

// held is how long the test keeps the connection established: the
// ESTABLISHED -> FIN_WAIT1 line must show at least this long.
const held = 300 * time.Millisecond

// closeInOrder holds c established, then closes the client, waits for the
// server to see the FIN and closes the server.
func closeInOrder(t *testing.T, c *livetest.Conn) {
	t.Helper()
	time.Sleep(held)
	c.Client.Close()
	c.Server.SetReadDeadline(time.Now().Add(wait))
	if n, err := io.Copy(io.Discard, c.Server); n != 0 || err != nil {
		t.Fatalf("server read %d bytes, %v; want EOF", n, err)
	}
	c.Server.Close()
}

// socketChanges are the changes of the socket with the given ports (the
// one that reached ESTABLISHED), in order, by its address.
func socketChanges(all []change, lport, rport int) []change {
	sk := ""
	for _, c := range all {
		if c.Lport == lport && c.Rport == rport && c.Newstate == "ESTABLISHED" {
			sk = c.Skaddr
		}
	}
	var out []change
	for _, c := range all {
		if sk != "" && c.Skaddr == sk {
			out = append(out, c)
		}
	}
	return out
}

func transitions(cs []change) string {
	var s []string
	for _, c := range cs {
		s = append(s, c.Oldstate+">"+c.Newstate)
	}
	return strings.Join(s, " ")
}

// TestLiveTransitions: the client's and the server's transitions of a
// loopback connection (IPv4 and IPv6) in a test namespace, in order, with
// the time spent established.
func TestLiveTransitions(t *testing.T) {
	tool := start(t, "--json")
	text := start(t, "-w", "-T")
	n := livetest.NewNetns(t)
	for _, addr := range []string{"127.0.0.1", "::1"} {
		c := n.Connect(t, addr)
		closeInOrder(t, c)
		doneWith := func(l string) bool {
			var ch change
			return json.Unmarshal([]byte(l), &ch) == nil && ch.Lport == c.SPort && ch.Rport == c.CPort && ch.Newstate == "CLOSE"
		}
		if _, ok := tool.WaitStdout(t, wait, doneWith); !ok {
			t.Fatalf("%s: server socket never reached CLOSE: %q", addr, tool.Stdout())
		}
		all := changes(t, tool)
		client := socketChanges(all, c.CPort, c.SPort)
		server := socketChanges(all, c.SPort, c.CPort)
		if got, want := transitions(client), "CLOSE>SYN_SENT SYN_SENT>ESTABLISHED ESTABLISHED>FIN_WAIT1 FIN_WAIT1>FIN_WAIT2 FIN_WAIT2>CLOSE"; got != want {
			t.Fatalf("%s client: %s\nwant %s", addr, got, want)
		}
		if got, want := transitions(server), "LISTEN>SYN_RECV SYN_RECV>ESTABLISHED ESTABLISHED>CLOSE_WAIT CLOSE_WAIT>LAST_ACK LAST_ACK>CLOSE"; got != want {
			t.Fatalf("%s server: %s\nwant %s", addr, got, want)
		}
		ip := 4
		if addr == "::1" {
			ip = 6
		}
		// (the child's first change, LISTEN -> SYN_RECV, can come before
		// its peer's address is set: 6.1 shows 0.0.0.0:0 there)
		for _, ch := range append(client[1:], server[1:]...) {
			if ch.IP != ip || ch.Laddr != addr || ch.Raddr != addr {
				t.Errorf("%s: %+v: wrong family or address", addr, ch)
			}
		}
		if client[0].MS != 0 {
			t.Errorf("first change of a socket shows %vms, want 0", client[0].MS)
		}
		est := client[2]
		if est.MS < float64(held.Milliseconds()) || est.MS > float64(held.Milliseconds())+3000 {
			t.Errorf("%s: ESTABLISHED for %vms, the test held it %v", addr, est.MS, held)
		}
		// The client's close ran in this process.
		if est.PID != os.Getpid() {
			t.Errorf("%s: ESTABLISHED -> FIN_WAIT1 by PID %d, want %d", addr, est.PID, os.Getpid())
		}
		// -w -T: TIME SKADDR PID COMM IP LADDR LPORT RADDR RPORT OLD -> NEW MS
		line, ok := text.WaitStdout(t, wait, func(l string) bool {
			f := strings.Fields(l)
			return len(f) == 13 && f[1] == est.Skaddr && f[9] == "ESTABLISHED" && f[11] == "FIN_WAIT1"
		})
		if !ok {
			t.Fatalf("-w: no ESTABLISHED -> FIN_WAIT1 line for %s in %q", est.Skaddr, text.Stdout())
		}
		f := strings.Fields(line)
		if f[2] != strconv.Itoa(os.Getpid()) || f[4] != strconv.Itoa(ip) || f[5] != addr || f[6] != strconv.Itoa(c.CPort) || f[7] != addr || f[8] != strconv.Itoa(c.SPort) || f[10] != "->" {
			t.Errorf("-w line %q", line)
		}
		if ms, err := strconv.ParseFloat(f[12], 64); err != nil || ms < float64(held.Milliseconds()) {
			t.Errorf("-w line %q: MS below %v", line, held)
		}
	}
	if status := tool.Stop(); status != 0 {
		t.Errorf("exit status %d; stderr %q", status, tool.Stderr())
	}
}

// TestLiveFilters: -6 and -L/-D keep other sockets out, in the kernel.
func TestLiveFilters(t *testing.T) {
	n := livetest.NewNetns(t)
	ln := n.Listen(t, "127.0.0.1:0")
	port := ln.Addr().(*net.TCPAddr).Port
	v6 := start(t, "--json", "-6")
	local := start(t, "--json", "-L", fmt.Sprint(port))
	remote := start(t, "--json", "-D", fmt.Sprint(port))
	var cl net.Conn
	var err error
	n.Do(t, func() { cl, err = net.Dial("tcp", ln.Addr().String()) })
	if err != nil {
		t.Fatal(err)
	}
	sv, err := ln.AcceptTCP()
	if err != nil {
		t.Fatal(err)
	}
	closeInOrder(t, &livetest.Conn{Client: cl.(*net.TCPConn), Server: sv})
	c6 := n.Connect(t, "::1")
	closeInOrder(t, c6)
	cport := cl.LocalAddr().(*net.TCPAddr).Port
	closed := func(lport int) func(string) bool {
		return func(l string) bool {
			var ch change
			return json.Unmarshal([]byte(l), &ch) == nil && ch.Lport == lport && ch.Newstate == "CLOSE"
		}
	}
	for _, w := range []struct {
		tool  *livetest.Tool
		lport int
	}{{v6, c6.SPort}, {local, port}, {remote, cport}} {
		if _, ok := w.tool.WaitStdout(t, wait, closed(w.lport)); !ok {
			t.Fatalf("no CLOSE of port %d in %q", w.lport, w.tool.Stdout())
		}
	}
	for _, tc := range []struct {
		tool *livetest.Tool
		what string
		ok   func(c change) bool
	}{
		{v6, "-6", func(c change) bool { return c.IP == 6 }},
		{local, "-L", func(c change) bool { return c.Lport == port }},
		{remote, "-D", func(c change) bool { return c.Rport == port }},
	} {
		tc.tool.Stop()
		for _, c := range changes(t, tc.tool) {
			if !tc.ok(c) {
				t.Errorf("%s reported %+v", tc.what, c)
			}
		}
	}
}
