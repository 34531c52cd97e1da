package sockstat

import (
	"encoding/json"
	"net"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/livetest"
)

type jsonSummary struct {
	Netns   uint64
	Sockets []struct {
		Proto, Family, State string
		Count                int
	}
	Total int
}

// TestLiveNamespaceCounts: in a fresh test namespace, two IPv4 and one
// IPv6 listener, two established IPv4 connections (both ends), a bound
// UDP socket over IPv6 and a unix socket pair: -N counts exactly those.
func TestLiveNamespaceCounts(t *testing.T) {
	n := livetest.NewNetns(t)
	n.Listen(t, "127.0.0.1:0")
	n.Listen(t, "127.0.0.1:0")
	n.Listen(t, "[::1]:0")
	n.Connect(t, "127.0.0.1") // its listener is closed once connected
	n.Connect(t, "127.0.0.1")
	n.Do(t, func() {
		u, err := net.ListenPacket("udp6", "[::1]:0")
		if err != nil {
			t.Error(err)
			return
		}
		t.Cleanup(func() { u.Close() })
		fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
		if err != nil {
			t.Error(err)
			return
		}
		t.Cleanup(func() { unix.Close(fds[0]); unix.Close(fds[1]) })
	})
	tool := livetest.Start(t, Applet, "--json", "-N", "/run/netns/"+n.Name)
	if status, ok := tool.Exited(10e9); !ok || status != 0 {
		t.Fatalf("exited %v status %d: %q", ok, status, tool.Stderr())
	}
	out := tool.Stdout()
	var s jsonSummary
	if len(out) != 1 || json.Unmarshal([]byte(out[0]), &s) != nil {
		t.Fatalf("want one JSON summary: %q", out)
	}
	got := map[string]int{}
	for _, r := range s.Sockets {
		got[r.Proto+" "+r.Family+" "+r.State] = r.Count
	}
	want := map[string]int{
		"tcp inet LISTEN": 2, "tcp inet6 LISTEN": 1, "tcp inet ESTABLISHED": 4,
		"udp inet6 CLOSE": 1, "unix-stream unix ESTABLISHED": 2,
	}
	if len(got) != len(want) || s.Total != 10 {
		t.Errorf("counts %v (total %d), want %v (total 10)", got, s.Total, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %d, want %d", k, got[k], v)
		}
	}
	if !strings.HasPrefix(out[0], `{"summary":1,"netns":`) {
		t.Errorf("summary %q", out[0])
	}
}

func TestMain(m *testing.M) { livetest.Main(m) }
