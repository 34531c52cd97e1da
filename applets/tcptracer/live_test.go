package tcptracer

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/tcptracer"
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
		t.Fatalf("tcptracer did not start: %q", tool.Stderr())
	}
	return tool
}

type jsonEvent struct {
	Type  string `json:"type"`
	PID   int    `json:"pid"`
	Comm  string `json:"comm"`
	IP    int    `json:"ip"`
	Saddr string `json:"saddr"`
	Daddr string `json:"daddr"`
	Sport int    `json:"sport"`
	Dport int    `json:"dport"`
	Netns uint64 `json:"netns"`
}

func inode(t *testing.T, path string) uint64 {
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil {
		t.Fatal(err)
	}
	return st.Ino
}

func comm(t *testing.T) string {
	b, err := os.ReadFile("/proc/self/comm")
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

// TestLiveSession: a helper process connects to this test inside a test
// namespace (IPv4 and IPv6), the test accepts, the helper closes, then
// the test: C and X for the helper, A and X for the test, each with the
// namespace's inode; -N of that namespace keeps them, -N of the host's
// does not.
func TestLiveSession(t *testing.T) {
	n := livetest.NewNetns(t)
	ns := inode(t, "/run/netns/"+n.Name)
	js := start(t, "--json")
	inNS := start(t, "--json", "-N", strconv.FormatUint(ns, 10))
	host := start(t, "--json", "-N", strconv.FormatUint(inode(t, "/proc/self/ns/net"), 10))
	text := start(t, "-t", "-U")
	self := comm(t)
	for _, tc := range []struct{ addr, name string }{{"127.0.0.1", "pbx-tracer4"}, {"::1", "pbx-tracer6"}} {
		s := livetest.TCPSession(t, n, tc.name, tc.addr, 10, 10)
		ip := 4
		if tc.addr == "::1" {
			ip = 6
		}
		want := []jsonEvent{
			{"connect", s.ClientPID, tc.name, ip, tc.addr, tc.addr, s.ClientPort, s.SrvPort, ns},
			{"accept", os.Getpid(), self, ip, tc.addr, tc.addr, s.SrvPort, s.ClientPort, ns},
			{"close", s.ClientPID, tc.name, ip, tc.addr, tc.addr, s.ClientPort, s.SrvPort, ns},
			{"close", os.Getpid(), self, ip, tc.addr, tc.addr, s.SrvPort, s.ClientPort, ns},
		}
		for _, tool := range []*livetest.Tool{js, inNS} {
			for _, w := range want {
				if _, ok := tool.WaitStdout(t, wait, func(l string) bool {
					var e jsonEvent
					return json.Unmarshal([]byte(l), &e) == nil && e == w
				}); !ok {
					t.Errorf("no %+v in %q", w, tool.Stdout())
				}
			}
		}
		// TIME(s) UID T PID COMM IP SADDR DADDR SPORT DPORT
		line, ok := text.WaitStdout(t, wait, func(l string) bool {
			f := strings.Fields(l)
			return len(f) == 10 && f[2] == "C" && f[8] == strconv.Itoa(s.ClientPort)
		})
		if !ok {
			t.Fatalf("text: no C line for port %d: %q", s.ClientPort, text.Stdout())
		}
		f := strings.Fields(line)
		if f[1] != "0" || f[3] != strconv.Itoa(s.ClientPID) || f[4] != tc.name || f[5] != strconv.Itoa(ip) || f[6] != tc.addr || f[7] != tc.addr || f[9] != strconv.Itoa(s.SrvPort) {
			t.Errorf("text line %q", line)
		}
	}
	host.Stop()
	for _, l := range host.Stdout() {
		var e jsonEvent
		if json.Unmarshal([]byte(l), &e) == nil && e.Netns == ns {
			t.Errorf("-N of the host's namespace reported %q", l)
		}
	}
}

// TestLiveFunctionProgramsVerify: the kprobe programs (and fentry/fexit
// where the kernel allows them) pass the verifier here.
func TestLiveFunctionProgramsVerify(t *testing.T) {
	livetest.Require(t)
	spec, err := bpfobj.LoadTcptracer()
	if err != nil {
		t.Fatal(err)
	}
	fentry := attach.Running.Supports(attach.Fentry) == nil
	keep := map[string]bool{"kretprobe_accept": true, "kprobe_close": true, "fexit_accept": fentry, "fentry_close": fentry}
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
