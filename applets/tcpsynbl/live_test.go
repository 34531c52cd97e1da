package tcpsynbl

import (
	"encoding/json"
	"net"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

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
		t.Fatalf("tcpsynbl did not start: %q", tool.Stderr())
	}
	return tool
}

type jsonSummary struct {
	Histograms []struct {
		BacklogMax uint64 `json:"backlog_max"`
		Unit       string
		Buckets    []struct{ Low, High, Count uint64 }
	}
	NotCounted map[string]uint64 `json:"not_counted"`
}

// flood listens with backlog in n, never accepts, and connects tries
// times: the first backlog+1 connects fill the accept queue, the kernel
// drops the SYNs of the rest (their dials time out).
func flood(t *testing.T, n *livetest.Netns, family int, sa unix.Sockaddr, backlog, tries int) {
	t.Helper()
	var addr string
	var err error
	n.Do(t, func() {
		var fd int
		if fd, err = unix.Socket(family, unix.SOCK_STREAM, 0); err != nil {
			return
		}
		t.Cleanup(func() { unix.Close(fd) })
		if err = unix.Bind(fd, sa); err != nil {
			return
		}
		if err = unix.Listen(fd, backlog); err != nil {
			return
		}
		got, _ := unix.Getsockname(fd)
		switch a := got.(type) {
		case *unix.SockaddrInet4:
			addr = (&net.TCPAddr{IP: a.Addr[:], Port: a.Port}).String()
		case *unix.SockaddrInet6:
			addr = (&net.TCPAddr{IP: a.Addr[:], Port: a.Port}).String()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	established := 0
	n.Do(t, func() {
		for i := 0; i < tries; i++ {
			c, err := net.DialTimeout("tcp", addr, livetest.Scaled(300*time.Millisecond))
			if err == nil {
				established++
				t.Cleanup(func() { c.Close() })
			}
		}
	})
	if established != backlog+1 {
		t.Fatalf("%d of %d connects to backlog %d completed, want %d", established, tries, backlog, backlog+1)
	}
}

// counts are the histogram of backlog_max max, by bucket low bound.
func counts(t *testing.T, tool *livetest.Tool, max uint64) map[uint64]uint64 {
	t.Helper()
	var s jsonSummary
	out := tool.Stdout()
	if len(out) != 1 || json.Unmarshal([]byte(out[0]), &s) != nil {
		t.Fatalf("want one JSON summary: %q", out)
	}
	var got map[uint64]uint64
	for _, h := range s.Histograms {
		if h.BacklogMax != max {
			continue
		}
		got = map[uint64]uint64{}
		if h.Unit != "backlog" {
			t.Errorf("unit %q", h.Unit)
		}
		for _, b := range h.Buckets {
			if b.Count > 0 {
				got[b.Low] = b.Count
			}
		}
	}
	return got
}

// TestLiveFlood: listeners with backlog 5 (IPv4) and 3 (IPv6) flooded
// with connects in a test namespace: each completed handshake is counted
// under its listener's limit at the queue length it found (0, 1, 2...),
// and -4 leaves the IPv6 listener out.
func TestLiveFlood(t *testing.T) {
	all := start(t, "--json")
	v4 := start(t, "--json", "-4")
	n := livetest.NewNetns(t)
	flood(t, n, unix.AF_INET, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}, 5, 8)
	flood(t, n, unix.AF_INET6, &unix.SockaddrInet6{Addr: [16]byte{15: 1}}, 3, 6)
	all.Stop()
	v4.Stop()
	want5 := map[uint64]uint64{0: 2, 2: 2, 4: 2} // queue lengths 0-1, 2-3, 4-5
	want3 := map[uint64]uint64{0: 2, 2: 2}
	for _, tc := range []struct {
		tool *livetest.Tool
		max  uint64
		want map[uint64]uint64
	}{{all, 5, want5}, {all, 3, want3}, {v4, 5, want5}, {v4, 3, nil}} {
		got := counts(t, tc.tool, tc.max)
		if len(got) != len(tc.want) {
			t.Errorf("backlog_max %d: buckets %v, want %v", tc.max, got, tc.want)
			continue
		}
		for k, v := range tc.want {
			if got[k] != v {
				t.Errorf("backlog_max %d: buckets %v, want %v", tc.max, got, tc.want)
			}
		}
	}
}
