package tcpaccept

import (
	"encoding/json"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"

	bpfobj "github.com/probebox/probebox/bpfobj/tcpaccept"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/livetest"
)

const wait = 10 * time.Second

func start(t *testing.T, args ...string) *livetest.Tool {
	t.Helper()
	livetest.Require(t)
	tool := livetest.Start(t, Applet, append([]string{"-v"}, args...)...)
	if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		tool.Stop()
		t.Fatalf("tcpaccept did not start: %q", tool.Stderr())
	}
	return tool
}

type jsonEvent struct {
	PID   int    `json:"pid"`
	TID   int    `json:"tid"`
	Comm  string `json:"comm"`
	IP    int    `json:"ip"`
	Raddr string `json:"raddr"`
	Rport int    `json:"rport"`
	Laddr string `json:"laddr"`
	Lport int    `json:"lport"`
}

func parse(l string) (jsonEvent, bool) {
	var ev jsonEvent
	return ev, json.Unmarshal([]byte(l), &ev) == nil
}

func waitLport(t *testing.T, tool *livetest.Tool, lport int) (jsonEvent, bool) {
	t.Helper()
	line, ok := tool.WaitStdout(t, wait, func(l string) bool {
		ev, ok := parse(l)
		return ok && ev.Lport == lport
	})
	ev, _ := parse(line)
	return ev, ok
}

func seenLport(tool *livetest.Tool, lport int) bool {
	for _, l := range tool.Stdout() {
		if ev, ok := parse(l); ok && ev.Lport == lport {
			return true
		}
	}
	return false
}

// listen opens a loopback listener, closed when the test ends.
func listen(t *testing.T, network, addr string) net.Listener {
	t.Helper()
	l, err := net.Listen(network, addr)
	if err != nil {
		t.Fatalf("listen %s %s: %v", network, addr, err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// acceptOn makes the test process accept, on l, a connection it makes
// itself; it returns the connecting side's port.
func acceptOn(t *testing.T, l net.Listener) (rport int) {
	t.Helper()
	c, err := net.Dial(l.Addr().Network(), l.Addr().String()) // completes in the backlog
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	return c.LocalAddr().(*net.TCPAddr).Port
}

// acceptOne is acceptOn a new listener; it also returns the listening port.
func acceptOne(t *testing.T, network, addr string) (lport, rport int) {
	t.Helper()
	l := listen(t, network, addr)
	return l.Addr().(*net.TCPAddr).Port, acceptOn(t, l)
}

// TestLiveAccept: the test's own IPv4 and IPv6 accepts, with the pid,
// addresses and both ports.
func TestLiveAccept(t *testing.T) {
	tool := start(t, "--json", "-p", strconv.Itoa(os.Getpid()))
	comm := filepath.Base(os.Args[0])
	if len(comm) > 15 {
		comm = comm[:15]
	}
	for _, c := range []struct{ network, addr, ip string }{
		{"tcp4", "127.0.0.1:0", "127.0.0.1"},
		{"tcp6", "[::1]:0", "::1"},
	} {
		lport, rport := acceptOne(t, c.network, c.addr)
		ev, ok := waitLport(t, tool, lport)
		want := jsonEvent{PID: os.Getpid(), TID: ev.TID, Comm: comm, IP: map[string]int{"tcp4": 4, "tcp6": 6}[c.network],
			Raddr: c.ip, Rport: rport, Laddr: c.ip, Lport: lport}
		if !ok || ev != want {
			t.Errorf("%s accept: %+v (found %v), want %+v; stderr %q", c.network, ev, ok, want, tool.Stderr())
		}
	}
}

// TestLiveRawAccept: accept(2), not accept4(2), where the system has it.
func TestLiveRawAccept(t *testing.T) {
	if !haveRawAccept {
		t.Skip("this architecture has only accept4(2)")
	}
	tool := start(t, "--json", "-p", strconv.Itoa(os.Getpid()))
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := unix.Listen(fd, 4); err != nil {
		t.Fatal(err)
	}
	sa, _ := unix.Getsockname(fd)
	lport := sa.(*unix.SockaddrInet4).Port
	c, err := net.Dial("tcp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(lport)))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	nfd, err := rawAccept(fd)
	if err != nil {
		t.Fatal(err)
	}
	unix.Close(nfd)
	ev, ok := waitLport(t, tool, lport)
	if !ok || ev.PID != os.Getpid() || ev.Rport != c.LocalAddr().(*net.TCPAddr).Port || ev.Raddr != "127.0.0.1" {
		t.Errorf("accept(2): %+v (found %v)", ev, ok)
	}
}

// TestLiveOtherProcess: a helper's accept carries the helper's PID and
// name; -p of the test leaves it out.
func TestLiveOtherProcess(t *testing.T) {
	all := start(t, "--json")
	mine := start(t, "--json", "-p", strconv.Itoa(os.Getpid()))
	pid, port := helperAccept(t, "pbxaccept")
	ownPort, _ := acceptOne(t, "tcp4", "127.0.0.1:0")
	ev, ok := waitLport(t, all, port)
	if !ok || ev.PID != pid || ev.Comm != "pbxaccept" {
		t.Errorf("helper's accept: %+v (found %v), want pid %d comm pbxaccept", ev, ok, pid)
	}
	if _, ok := waitLport(t, mine, ownPort); !ok {
		t.Fatal("-p: own accept not shown")
	}
	if seenLport(mine, port) {
		t.Error("-p let another process's accept through")
	}
}

// TestLivePortFilter: -P keeps only the listed local ports.
func TestLivePortFilter(t *testing.T) {
	listed, other := listen(t, "tcp6", "[::1]:0"), listen(t, "tcp4", "127.0.0.1:0")
	port := listed.Addr().(*net.TCPAddr).Port
	tool := start(t, "--json", "-P", "1,"+strconv.Itoa(port))
	acceptOn(t, other)
	acceptOn(t, listed)
	if _, ok := waitLport(t, tool, port); !ok {
		t.Fatalf("-P %d: accept not shown: %q", port, tool.Stdout())
	}
	if seenLport(tool, other.Addr().(*net.TCPAddr).Port) {
		t.Error("-P let another port through")
	}
}

// TestLiveFamily: -4 and -6 each leave out the other family.
func TestLiveFamily(t *testing.T) {
	for _, tc := range []struct{ flag, want, skip string }{{"-4", "tcp4", "tcp6"}, {"-6", "tcp6", "tcp4"}} {
		addr := map[string]string{"tcp4": "127.0.0.1:0", "tcp6": "[::1]:0"}
		tool := start(t, "--json", tc.flag, "-p", strconv.Itoa(os.Getpid()))
		skip, _ := acceptOne(t, tc.skip, addr[tc.skip])
		want, _ := acceptOne(t, tc.want, addr[tc.want])
		if _, ok := waitLport(t, tool, want); !ok {
			t.Errorf("%s: accept not shown", tc.flag)
		}
		if seenLport(tool, skip) {
			t.Errorf("%s let the other family through", tc.flag)
		}
		tool.Stop()
	}
}

// TestLiveText: bcc's columns with -T and -t.
func TestLiveText(t *testing.T) {
	tool := start(t, "-T", "-t", "-p", strconv.Itoa(os.Getpid()))
	lport, rport := acceptOne(t, "tcp6", "[::1]:0")
	suffix := " " + strconv.Itoa(lport)
	line, ok := tool.WaitStdout(t, wait, func(l string) bool { return strings.HasSuffix(strings.TrimSpace(l), suffix) })
	if !ok {
		t.Fatalf("no line for port %d: %q", lport, tool.Stdout())
	}
	if h := tool.Stdout()[0]; h != "TIME     TIME(s)  PID     COMM         IP RADDR            RPORT LADDR            LPORT" {
		t.Errorf("header %q", h)
	}
	f := strings.Fields(line)
	if len(f) != 9 || len(f[0]) != 8 || f[0][2] != ':' || f[2] != strconv.Itoa(os.Getpid()) || f[4] != "6" ||
		f[5] != "::1" || f[6] != strconv.Itoa(rport) || f[7] != "::1" {
		t.Errorf("line %q", line)
	}
}

// TestLiveVerifier loads the programs this kernel cannot attach, so that
// the verifier sees them: the kretprobe loads even where kprobes cannot be
// attached; fexit only where fentry/fexit exist.
func TestLiveVerifier(t *testing.T) {
	livetest.Require(t)
	for kind, prog := range map[attach.Kind]string{attach.Kretprobe: "kretprobe_accept", attach.Fexit: "fexit_accept"} {
		if kind == attach.Fexit && attach.Running.Supports(attach.Fexit) != nil {
			t.Logf("%s not loaded: %v", prog, attach.Running.Supports(attach.Fexit))
			continue
		}
		spec, err := bpfobj.LoadTcpaccept()
		if err != nil {
			t.Fatal(err)
		}
		for name := range spec.Programs {
			if name != prog {
				delete(spec.Programs, name)
			}
		}
		coll, err := ebpf.NewCollection(spec)
		var ve *ebpf.VerifierError
		switch {
		case errors.As(err, &ve):
			t.Errorf("%s: verifier: %+v", prog, ve)
		case err != nil:
			t.Errorf("%s: %v", prog, err)
		default:
			if coll.Programs[prog] == nil {
				t.Errorf("%s not loaded", prog)
			}
			coll.Close()
		}
	}
}

// TestLiveCgroup: -c shows the accept of a helper in the cgroup, not the
// test's own.
func TestLiveCgroup(t *testing.T) {
	livetest.Require(t)
	cg := livetest.Cgroup(t, "tcpaccept")
	tool := start(t, "--json", "-c", cg)
	own, _ := acceptOne(t, "tcp4", "127.0.0.1:0")
	pid, port := helperAcceptIn(t, "pbxcgaccept", cg)
	if ev, ok := waitLport(t, tool, port); !ok || ev.PID != pid {
		t.Fatalf("accept inside the cgroup: %+v (found %v), want pid %d", ev, ok, pid)
	}
	if seenLport(tool, own) {
		t.Error("-c let an accept outside the cgroup through")
	}
}
