package tcpconnect

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/tcpconnect"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/livetest"
)

const wait = 10 * time.Second

// listener accepts (and closes) connections on a loopback address until
// the test ends; it returns "host:port" and the port.
func listener(t *testing.T, network, addr string) (string, int) {
	t.Helper()
	l, err := net.Listen(network, addr)
	if err != nil {
		t.Fatalf("listen %s %s: %v", network, addr, err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	return l.Addr().String(), l.Addr().(*net.TCPAddr).Port
}

// dial connects from the test process and returns the local port.
func dial(t *testing.T, addr string) int {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.TCPAddr).Port
}

func start(t *testing.T, args ...string) *livetest.Tool {
	t.Helper()
	livetest.Require(t)
	tool := livetest.Start(t, Applet, append([]string{"-v"}, args...)...)
	if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		tool.Stop()
		t.Fatalf("tcpconnect did not start: %q", tool.Stderr())
	}
	return tool
}

type jsonEvent struct {
	PID   int    `json:"pid"`
	TID   int    `json:"tid"`
	UID   int    `json:"uid"`
	Comm  string `json:"comm"`
	IP    int    `json:"ip"`
	Saddr string `json:"saddr"`
	Daddr string `json:"daddr"`
	Lport *int   `json:"lport"`
	Dport int    `json:"dport"`
}

func parse(l string) (jsonEvent, bool) {
	var ev jsonEvent
	return ev, json.Unmarshal([]byte(l), &ev) == nil
}

// waitDport waits for a JSON event to port dport.
func waitDport(t *testing.T, tool *livetest.Tool, dport int) (jsonEvent, bool) {
	t.Helper()
	line, ok := tool.WaitStdout(t, wait, func(l string) bool {
		ev, ok := parse(l)
		return ok && ev.Dport == dport
	})
	ev, _ := parse(line)
	return ev, ok
}

func seenDport(tool *livetest.Tool, dport int) bool {
	for _, l := range tool.Stdout() {
		if ev, ok := parse(l); ok && ev.Dport == dport {
			return true
		}
	}
	return false
}

// TestLiveConnect: the test's own IPv4 and IPv6 connects, with and
// without the local port (which takes another way on the tracepoint
// hooks), on every hook this kernel offers.
func TestLiveConnect(t *testing.T) {
	for _, tc := range []struct{ disable, hook string }{
		{"", "using "},
		{"fexit", "using "},
		{"fexit,kprobe,kretprobe,tp_btf", "using raw_tracepoint inet_sock_set_state + tracepoint syscalls:sys_exit_connect"},
		{"fexit,kprobe,kretprobe,tp_btf,raw_tracepoint", "using tracepoint sock:inet_sock_set_state + tracepoint syscalls:sys_exit_connect"},
	} {
		t.Run("disable="+tc.disable, func(t *testing.T) {
			if tc.disable == "fexit" && attach.Running.Supports(attach.Kprobe) != nil {
				t.Skip("no kprobes here: the fexit-less run is the default one")
			}
			if tc.disable != "" && livetest.RerunFresh(t, "PROBEBOX_DISABLE="+tc.disable) {
				return
			}
			addr4, port4 := listener(t, "tcp4", "127.0.0.1:0")
			addr6, port6 := listener(t, "tcp6", "[::1]:0")
			for _, withLport := range []bool{false, true} {
				args := []string{"--json", "-p", strconv.Itoa(os.Getpid())}
				if withLport {
					args = append(args, "-L")
				}
				tool := start(t, args...)
				if !strings.Contains(strings.Join(tool.Stderr(), "\n"), tc.hook) {
					t.Errorf("-v does not say %q:\n%s", tc.hook, strings.Join(tool.Stderr(), "\n"))
				}
				for _, c := range []struct {
					addr, ip string
					port     int
				}{{addr4, "127.0.0.1", port4}, {addr6, "::1", port6}} {
					lport := dial(t, c.addr)
					ev, ok := waitDport(t, tool, c.port)
					switch {
					case !ok:
						t.Errorf("-L=%v: no event for the connect to %s; stdout %q stderr %q", withLport, c.addr, tool.Stdout(), tool.Stderr())
					case ev.PID != os.Getpid() || ev.UID != os.Getuid() || ev.Saddr != c.ip || ev.Daddr != c.ip || ev.IP != map[string]int{"127.0.0.1": 4, "::1": 6}[c.ip]:
						t.Errorf("-L=%v: connect to %s: %+v, want pid %d", withLport, c.addr, ev, os.Getpid())
					case withLport && (ev.Lport == nil || *ev.Lport != lport):
						t.Errorf("-L: connect to %s from port %d: lport %v", c.addr, lport, ev.Lport)
					case !withLport && ev.Lport != nil:
						t.Errorf("lport %d in JSON without -L/-s", *ev.Lport)
					}
				}
				tool.Stop()
			}
		})
	}
}

// refusingAddr finds a loopback port that refuses connects: one just
// released, checked with a connect before the tracer starts.
func refusingAddr(t *testing.T) (string, int) {
	t.Helper()
	for range 10 {
		l, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr, port := l.Addr().String(), l.Addr().(*net.TCPAddr).Port
		l.Close()
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return addr, port
		}
		c.Close()
	}
	t.Fatal("no refusing loopback port in 10 tries")
	return "", 0
}

// TestLiveRefused: a connect whose SYN meets a reset is still a connect
// (libbpf-tools reports it too); with -L its local port is known.
func TestLiveRefused(t *testing.T) {
	closed, port := refusingAddr(t)
	tool := start(t, "--json", "-L", "-p", strconv.Itoa(os.Getpid()))
	if c, err := net.Dial("tcp", closed); err == nil {
		c.Close()
		t.Fatalf("%s accepted a connect: another process took the port", closed)
	}
	ev, ok := waitDport(t, tool, port)
	if !ok || ev.Lport == nil || *ev.Lport == 0 {
		t.Errorf("refused connect: %+v (found %v)", ev, ok)
	}
}

// TestLiveText: the text columns with -t -U -L -s.
func TestLiveText(t *testing.T) {
	addr, port := listener(t, "tcp4", "127.0.0.1:0")
	tool := start(t, "-tUsL", "-p", strconv.Itoa(os.Getpid()))
	lport := dial(t, addr)
	want := []string{strconv.Itoa(os.Getuid()), strconv.Itoa(os.Getpid()), "", "4", "127.0.0.1", strconv.Itoa(lport), "127.0.0.1", strconv.Itoa(lport), strconv.Itoa(port)}
	line, ok := tool.WaitStdout(t, wait, func(l string) bool { return strings.HasSuffix(strings.TrimSpace(l), " "+strconv.Itoa(port)) })
	if !ok {
		t.Fatalf("no line for port %d: %q", port, tool.Stdout())
	}
	if out := tool.Stdout(); !strings.HasPrefix(out[0], "TIME(s)  UID   PID    COMM             IP SADDR            LPORT  DADDR            SPORT DPORT") {
		t.Errorf("header %q", out[0])
	}
	f := strings.Fields(line)
	if len(f) != 10 {
		t.Fatalf("%d fields in %q", len(f), line)
	}
	if _, err := strconv.ParseFloat(f[0], 64); err != nil {
		t.Errorf("TIME(s) %q", f[0])
	}
	for i, w := range want {
		if w != "" && f[i+1] != w {
			t.Errorf("field %d of %q is %q, want %q", i+1, line, f[i+1], w)
		}
	}
}

// TestLivePIDFilter: -p leaves out another process's connect.
func TestLivePIDFilter(t *testing.T) {
	addrA, portA := listener(t, "tcp4", "127.0.0.1:0")
	addrB, portB := listener(t, "tcp4", "127.0.0.1:0")
	tool := start(t, "--json", "-p", strconv.Itoa(os.Getpid()))
	helperConnect(t, "pbxconnect", addrA, -1)
	dial(t, addrB)
	if _, ok := waitDport(t, tool, portB); !ok {
		t.Fatal("own connect not shown")
	}
	if seenDport(tool, portA) {
		t.Error("-p let another process's connect through")
	}
}

// TestLiveUID: -u shows the helper running as nobody, not the test.
func TestLiveUID(t *testing.T) {
	addrA, portA := listener(t, "tcp4", "127.0.0.1:0")
	addrB, portB := listener(t, "tcp4", "127.0.0.1:0")
	tool := start(t, "--json", "-u", "65534")
	dial(t, addrA)
	pid, _ := helperConnect(t, "pbxnobody", addrB, 65534)
	ev, ok := waitDport(t, tool, portB)
	if !ok || ev.UID != 65534 || ev.PID != pid || ev.Comm != "pbxnobody" {
		t.Fatalf("nobody's connect: %+v (found %v), want pid %d", ev, ok, pid)
	}
	if seenDport(tool, portA) {
		t.Error("-u let root's connect through")
	}
}

// TestLivePortFilter: -P keeps only the listed destination ports.
func TestLivePortFilter(t *testing.T) {
	addrA, portA := listener(t, "tcp4", "127.0.0.1:0")
	addrB, portB := listener(t, "tcp4", "127.0.0.1:0")
	addrC, portC := listener(t, "tcp6", "[::1]:0")
	tool := start(t, "--json", "-P", strconv.Itoa(portB)+","+strconv.Itoa(portC))
	dial(t, addrA)
	dial(t, addrB)
	dial(t, addrC)
	_, okB := waitDport(t, tool, portB)
	_, okC := waitDport(t, tool, portC)
	if !okB || !okC {
		t.Fatalf("-P: listed ports shown: %v %v; %q", okB, okC, tool.Stdout())
	}
	if seenDport(tool, portA) {
		t.Error("-P let another port through")
	}
}

// TestLiveFamily: -4 and -6 each leave out the other family.
func TestLiveFamily(t *testing.T) {
	addr4, port4 := listener(t, "tcp4", "127.0.0.1:0")
	addr6, port6 := listener(t, "tcp6", "[::1]:0")
	for _, tc := range []struct {
		flag       string
		want, skip int
		order      []string
	}{
		{"-4", port4, port6, []string{addr6, addr4}},
		{"-6", port6, port4, []string{addr4, addr6}},
	} {
		tool := start(t, "--json", tc.flag, "-p", strconv.Itoa(os.Getpid()))
		for _, a := range tc.order {
			dial(t, a)
		}
		if _, ok := waitDport(t, tool, tc.want); !ok {
			t.Errorf("%s: connect not shown", tc.flag)
		}
		if seenDport(tool, tc.skip) {
			t.Errorf("%s let the other family through", tc.flag)
		}
		tool.Stop()
	}
}

// TestLiveCount: -c counts the test's connects per address pair and port,
// printed when tracing stops; -s splits them by local port.
func TestLiveCount(t *testing.T) {
	addr4, port4 := listener(t, "tcp4", "127.0.0.1:0")
	addr6, port6 := listener(t, "tcp6", "[::1]:0")
	pid := strconv.Itoa(os.Getpid())

	tool := start(t, "-c", "-p", pid)
	for i := 0; i < 3; i++ {
		dial(t, addr4)
	}
	dial(t, addr6)
	dial(t, addr6)
	if status := tool.Stop(); status != 0 {
		t.Fatalf("exit status %d: %q", status, tool.Stderr())
	}
	out := tool.Stdout()
	rows := map[string]bool{}
	for _, l := range out {
		rows[strings.Join(strings.Fields(l), " ")] = true
	}
	for _, want := range []string{
		"LADDR RADDR RPORT CONNECTS",
		"127.0.0.1 127.0.0.1 " + strconv.Itoa(port4) + " 3",
		"::1 ::1 " + strconv.Itoa(port6) + " 2",
	} {
		if !rows[want] {
			t.Errorf("-c output lacks %q:\n%s", want, strings.Join(out, "\n"))
		}
	}

	tool = start(t, "-c", "-s", "--json", "-p", pid)
	lports := map[int]bool{dial(t, addr4): true, dial(t, addr4): true}
	if status := tool.Stop(); status != 0 {
		t.Fatalf("exit status %d: %q", status, tool.Stderr())
	}
	for _, l := range tool.Stdout() {
		var f struct {
			Saddr    string `json:"saddr"`
			Lport    int    `json:"lport"`
			Dport    int    `json:"dport"`
			Connects int    `json:"connects"`
		}
		if err := json.Unmarshal([]byte(l), &f); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		if f.Dport == port4 && f.Connects == 1 && f.Saddr == "127.0.0.1" {
			delete(lports, f.Lport)
		}
	}
	if len(lports) != 0 {
		t.Errorf("-c -s --json: no flow of one connect from local ports %v:\n%s", lports, strings.Join(tool.Stdout(), "\n"))
	}
}

// TestLiveCountFull: -c with a counts map of one key (shrunk through
// countsEntries: the applet runs in this process) counts one flow and
// says on stderr how many connects of the other it had no room for.
func TestLiveCountFull(t *testing.T) {
	countsEntries = 1
	t.Cleanup(func() { countsEntries = 0 })
	addr4, _ := listener(t, "tcp4", "127.0.0.1:0")
	addr6, _ := listener(t, "tcp6", "[::1]:0")
	tool := start(t, "-c", "--json", "-p", strconv.Itoa(os.Getpid()))
	dial(t, addr4)
	dial(t, addr4)
	for i := 0; i < 3; i++ {
		dial(t, addr6)
	}
	if status := tool.Stop(); status != 0 {
		t.Fatalf("exit status %d: %q", status, tool.Stderr())
	}
	out := tool.Stdout()
	var f struct {
		Connects int `json:"connects"`
	}
	if len(out) != 1 || json.Unmarshal([]byte(out[0]), &f) != nil || (f.Connects != 2 && f.Connects != 3) {
		t.Fatalf("want one flow of 2 or 3 connects in a map of 1 key: %q", out)
	}
	want := fmt.Sprintf("tcpconnect: %d connects not counted: the counts map of 1 keys was full", 5-f.Connects)
	if !slices.Contains(tool.Stderr(), want) {
		t.Errorf("stderr %q, want the line %q", tool.Stderr(), want)
	}
}

// TestLiveVerifier loads the hook programs this kernel cannot attach, so
// that the verifier sees them: kprobe programs load even where kprobes
// cannot be attached; fexit ones only where fentry/fexit exist.
func TestLiveVerifier(t *testing.T) {
	livetest.Require(t)
	groups := map[attach.Kind][]string{
		attach.Kprobe: {"kprobe_v4_connect", "kretprobe_v4_connect", "kprobe_v6_connect", "kretprobe_v6_connect"},
		attach.Fexit:  {"fexit_v4_connect", "fexit_v6_connect"},
	}
	for kind, progs := range groups {
		if kind == attach.Fexit && attach.Running.Supports(attach.Fexit) != nil {
			t.Logf("fexit programs not loaded: %v", attach.Running.Supports(attach.Fexit))
			continue
		}
		spec, err := bpfobj.LoadTcpconnect()
		if err != nil {
			t.Fatal(err)
		}
		keep := map[string]bool{}
		for _, p := range progs {
			keep[p] = true
		}
		for name := range spec.Programs {
			if !keep[name] {
				delete(spec.Programs, name)
			}
		}
		coll, err := ebpf.NewCollection(spec)
		var ve *ebpf.VerifierError
		if errors.As(err, &ve) {
			t.Errorf("%v programs: verifier: %+v", kind, ve)
			continue
		}
		if err != nil {
			t.Errorf("%v programs: %v", kind, err)
			continue
		}
		for _, p := range progs {
			if coll.Programs[p] == nil {
				t.Errorf("%s not loaded", p)
			}
		}
		coll.Close()
	}
}

// TestLiveCgroup: --cgroup shows the connect of a helper in the cgroup,
// not the test's own.
func TestLiveCgroup(t *testing.T) {
	livetest.Require(t)
	cg := livetest.Cgroup(t, "tcpconnect")
	addrA, portA := listener(t, "tcp4", "127.0.0.1:0")
	addrB, portB := listener(t, "tcp6", "[::1]:0")
	tool := start(t, "--json", "--cgroup", cg)
	dial(t, addrA)
	pid := helperConnectIn(t, "pbxcgconnect", addrB, cg)
	if ev, ok := waitDport(t, tool, portB); !ok || ev.PID != pid {
		t.Fatalf("connect inside the cgroup: %+v (found %v), want pid %d", ev, ok, pid)
	}
	if seenDport(tool, portA) {
		t.Error("--cgroup let a connect outside the cgroup through")
	}
}
