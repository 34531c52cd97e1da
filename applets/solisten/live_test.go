package solisten

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"

	bpfobj "github.com/probebox/probebox/bpfobj/solisten"
	"github.com/probebox/probebox/core/attach"
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
		t.Fatalf("solisten did not start: %q", tool.Stderr())
	}
	return tool
}

// listen makes a TCP socket in n bound to addr port 0 and calls listen
// with backlog; it returns the port.
func listen(t *testing.T, n *livetest.Netns, family int, addr unix.Sockaddr, backlog int) int {
	t.Helper()
	var (
		port int
		err  error
	)
	n.Do(t, func() {
		var fd int
		if fd, err = unix.Socket(family, unix.SOCK_STREAM, 0); err != nil {
			return
		}
		t.Cleanup(func() { unix.Close(fd) })
		if err = unix.Bind(fd, addr); err != nil {
			return
		}
		if err = unix.Listen(fd, backlog); err != nil {
			return
		}
		var sa unix.Sockaddr
		if sa, err = unix.Getsockname(fd); err != nil {
			return
		}
		switch a := sa.(type) {
		case *unix.SockaddrInet4:
			port = a.Port
		case *unix.SockaddrInet6:
			port = a.Port
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return port
}

type jsonEvent struct {
	PID     int    `json:"pid"`
	Comm    string `json:"comm"`
	Ret     int    `json:"ret"`
	Backlog int    `json:"backlog"`
	Proto   string `json:"proto"`
	Port    int    `json:"port"`
	Addr    string `json:"addr"`
}

// TestLiveBacklog: listen(fd, 7) on 127.0.0.1 and ::1 in a test
// namespace shows the backlog, port, address and this process, in JSON
// and text; -p of another process leaves them out.
func TestLiveBacklog(t *testing.T) {
	js := start(t, "--json")
	text := start(t, "-t")
	other := start(t, "--json", "-p", "1")
	n := livetest.NewNetns(t)
	p4 := listen(t, n, unix.AF_INET, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}, 7)
	p6 := listen(t, n, unix.AF_INET6, &unix.SockaddrInet6{Addr: [16]byte{15: 1}}, 7)
	comm := strings.Fields(strings.ReplaceAll(readComm(t), "\n", ""))[0]
	for _, tc := range []struct {
		port        int
		proto, addr string
	}{{p4, "TCPv4", "127.0.0.1"}, {p6, "TCPv6", "::1"}} {
		var e jsonEvent
		if _, ok := js.WaitStdout(t, wait, func(l string) bool {
			e = jsonEvent{}
			return json.Unmarshal([]byte(l), &e) == nil && e.Port == tc.port
		}); !ok {
			t.Fatalf("no listen on port %d: %q", tc.port, js.Stdout())
		}
		want := jsonEvent{PID: os.Getpid(), Comm: comm, Ret: 0, Backlog: 7, Proto: tc.proto, Port: tc.port, Addr: tc.addr}
		if e != want {
			t.Errorf("got %+v\nwant %+v", e, want)
		}
		// TIME PID COMM RET BACKLOG PROTO PORT ADDR
		line, ok := text.WaitStdout(t, wait, func(l string) bool {
			f := strings.Fields(l)
			return len(f) == 8 && f[6] == strconv.Itoa(tc.port)
		})
		if !ok {
			t.Fatalf("text: no listen on port %d: %q", tc.port, text.Stdout())
		}
		f := strings.Fields(line)
		if _, err := time.Parse("15:04:05", f[0]); err != nil || f[1] != strconv.Itoa(os.Getpid()) || f[3] != "0" || f[4] != "7" || f[5] != tc.proto || f[7] != tc.addr {
			t.Errorf("text line %q", line)
		}
	}
	other.Stop()
	for _, l := range other.Stdout() {
		var e jsonEvent
		if json.Unmarshal([]byte(l), &e) == nil && e.PID != 1 {
			t.Errorf("-p 1 reported %q", l)
		}
	}
}

func readComm(t *testing.T) string {
	b, err := os.ReadFile("/proc/self/comm")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestLiveFunctionProgramsVerify: the kprobe programs (and fexit where the
// kernel allows it) pass the verifier here, even where they cannot attach.
func TestLiveFunctionProgramsVerify(t *testing.T) {
	livetest.Require(t)
	spec, err := bpfobj.LoadSolisten()
	if err != nil {
		t.Fatal(err)
	}
	keep := map[string]bool{"kprobe_listen": true, "kretprobe_listen": true, "fexit_listen": attach.Running.Supports(attach.Fexit) == nil}
	for name := range spec.Programs {
		if !keep[name] {
			delete(spec.Programs, name)
		}
	}
	coll, err := ebpf.NewCollection(spec)
	if err != nil {
		t.Fatalf("loading %v: %v", keep, err)
	}
	coll.Close()
}
