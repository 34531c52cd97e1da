package bindsnoop

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"

	bpfobj "github.com/probebox/probebox/bpfobj/bindsnoop"
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
		t.Fatalf("bindsnoop did not start: %q", tool.Stderr())
	}
	return tool
}

type jsonEvent struct {
	PID   int    `json:"pid"`
	Ret   int    `json:"ret"`
	Proto string `json:"proto"`
	Opts  string `json:"opts"`
	If    int    `json:"if"`
	IP    int    `json:"ip"`
	Port  int    `json:"port"`
	Addr  string `json:"addr"`
}

type bindCase struct {
	family, typ int
	opts        [][2]int // level, option set to 1
	addr        unix.Sockaddr
	wantErr     bool
}

// bindIn makes each socket in n, sets its options and binds it; it
// returns the ports bound (0 for a failed bind).
func bindIn(t *testing.T, n *livetest.Netns, cases []bindCase) []int {
	t.Helper()
	ports := make([]int, len(cases))
	var err error
	n.Do(t, func() {
		for i, c := range cases {
			var fd int
			if fd, err = unix.Socket(c.family, c.typ, 0); err != nil {
				return
			}
			t.Cleanup(func() { unix.Close(fd) })
			for _, o := range c.opts {
				if err = unix.SetsockoptInt(fd, o[0], o[1], 1); err != nil {
					return
				}
			}
			berr := unix.Bind(fd, c.addr)
			if (berr != nil) != c.wantErr {
				err = berr
				if err == nil {
					err = unix.EINVAL
				}
				return
			}
			if berr == nil {
				sa, _ := unix.Getsockname(fd)
				switch a := sa.(type) {
				case *unix.SockaddrInet4:
					ports[i] = a.Port
				case *unix.SockaddrInet6:
					ports[i] = a.Port
				}
			}
		}
	})
	if err != nil {
		t.Fatalf("binding: %v", err)
	}
	return ports
}

var lo4 = [4]byte{127, 0, 0, 1}

// TestLiveBinds: binds in a test namespace with SO_REUSEADDR,
// IP_FREEBIND + SO_REUSEPORT, over IPv4 and IPv6, TCP and UDP, and one
// that fails with EADDRINUSE: the options, ports and results are
// reported; the failure only with -x (and bcc's -E); -P filters by port.
func TestLiveBinds(t *testing.T) {
	js := start(t, "--json")
	errs := start(t, "--json", "-E")
	port := start(t, "--json", "-x", "-P", "4242")
	n := livetest.NewNetns(t)
	cases := []bindCase{
		{unix.AF_INET, unix.SOCK_STREAM, [][2]int{{unix.SOL_SOCKET, unix.SO_REUSEADDR}}, &unix.SockaddrInet4{Port: 4242, Addr: lo4}, false},
		{unix.AF_INET, unix.SOCK_DGRAM, [][2]int{{unix.SOL_IP, unix.IP_FREEBIND}, {unix.SOL_SOCKET, unix.SO_REUSEPORT}}, &unix.SockaddrInet4{Addr: lo4}, false},
		{unix.AF_INET6, unix.SOCK_STREAM, nil, &unix.SockaddrInet6{Port: 4243, Addr: [16]byte{15: 1}}, false},
		{unix.AF_INET, unix.SOCK_STREAM, nil, &unix.SockaddrInet4{Port: 4242, Addr: lo4}, true},
	}
	ports := bindIn(t, n, cases)
	want := []jsonEvent{
		{PID: os.Getpid(), Ret: 0, Proto: "TCP", Opts: "...R.", IP: 4, Port: 4242, Addr: "127.0.0.1"},
		{PID: os.Getpid(), Ret: 0, Proto: "UDP", Opts: "F...r", IP: 4, Port: ports[1], Addr: "127.0.0.1"},
		{PID: os.Getpid(), Ret: 0, Proto: "TCP", Opts: ".....", IP: 6, Port: 4243, Addr: "::1"},
		{PID: os.Getpid(), Ret: -int(unix.EADDRINUSE), Proto: "TCP", Opts: ".....", IP: 4, Port: 4242, Addr: "127.0.0.1"},
	}
	find := func(tool *livetest.Tool, w jsonEvent) bool {
		_, ok := tool.WaitStdout(t, wait, func(l string) bool {
			var e jsonEvent
			return json.Unmarshal([]byte(l), &e) == nil && e == w
		})
		return ok
	}
	for i, w := range want {
		if i < 3 && !find(js, w) {
			t.Errorf("no %+v in %q", w, js.Stdout())
		}
		if !find(errs, w) {
			t.Errorf("-E: no %+v in %q", w, errs.Stdout())
		}
		if w.Port == 4242 && !find(port, w) {
			t.Errorf("-x -P 4242: no %+v in %q", w, port.Stdout())
		}
	}
	for _, tc := range []struct {
		tool *livetest.Tool
		ok   func(e jsonEvent) bool
	}{{js, func(e jsonEvent) bool { return e.Ret == 0 }}, {port, func(e jsonEvent) bool { return e.Port == 4242 }}} {
		tc.tool.Stop()
		for _, l := range tc.tool.Stdout() {
			var e jsonEvent
			if err := json.Unmarshal([]byte(l), &e); err != nil || !tc.ok(e) {
				t.Errorf("filtered out, yet reported: %q", l)
			}
		}
	}
}

// TestLiveFunctionProgramsVerify: the kprobe programs (and fexit where the
// kernel allows it) pass the verifier here, even where they cannot attach.
func TestLiveFunctionProgramsVerify(t *testing.T) {
	livetest.Require(t)
	spec, err := bpfobj.LoadBindsnoop()
	if err != nil {
		t.Fatal(err)
	}
	fexit := attach.Running.Supports(attach.Fexit) == nil
	keep := map[string]bool{"kprobe_bind": true, "kretprobe_bind": true, "kprobe_bind6": true, "kretprobe_bind6": true, "fexit_bind": fexit, "fexit_bind6": fexit}
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
