package tcpcong

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
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
		t.Fatalf("tcpcong did not start: %q", tool.Stderr())
	}
	return tool
}

type conn struct {
	IP                                  int
	Laddr                               string
	Lport                               int
	Raddr                               string
	Rport                               int
	Unit                                string
	Open, Disorder, CWR, Recovery, Loss uint64
	Changes                             uint64
}

type jsonSummary struct {
	Connections []conn
	Histograms  []struct {
		State   string
		Unit    string
		Buckets []struct{ Low, High, Count uint64 }
	}
}

func summaries(t *testing.T, tool *livetest.Tool) []jsonSummary {
	t.Helper()
	if status := tool.Stop(); status != 0 {
		t.Fatalf("exit status %d: %q", status, tool.Stderr())
	}
	var out []jsonSummary
	for _, l := range tool.Stdout() {
		var s jsonSummary
		if err := json.Unmarshal([]byte(l), &s); err != nil {
			t.Fatalf("not JSON: %q", l)
		}
		out = append(out, s)
	}
	return out
}

// waitOpen waits until the client's congestion state is open again.
func waitOpen(t *testing.T, c *livetest.Conn) {
	t.Helper()
	deadline := time.Now().Add(livetest.Scaled(wait))
	for livetest.TCPInfo(t, c.Client).Ca_state != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the client stayed in congestion state %d", livetest.TCPInfo(t, c.Client).Ca_state)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestLiveLossEpisode: connections (IPv4 to an address of 127/8 no one
// else uses, and IPv6 over ::1) in a namespace of the test's stay open
// for 400 ms, then an nftables input drop makes the client time out and
// enter loss; 300 ms after its first retransmit the drop goes and the
// client recovers to open. Each connection shows at least 400 ms in open,
// 300 ms in loss and two changes; the histograms (-d) hold those times
// in their buckets; a remote port filter (-R) that excludes them keeps
// them out, in the kernel.
func TestLiveLossEpisode(t *testing.T) {
	livetest.Require(t)
	for _, m := range livetest.TracepointModes {
		t.Run(m.Name, func(t *testing.T) {
			kernel = m.Kernel()
			defer func() { kernel = nil }()
			lossEpisode(t, m)
		})
	}
}

func lossEpisode(t *testing.T, m livetest.TracepointMode) {
	micro := start(t, "--json", "-u")
	m.Check(t, micro.Stderr())
	dist := start(t, "--json", "-d")
	excluded := start(t, "--json", "-R", "1-1")
	n := livetest.NewNetns(t)
	addr := fmt.Sprintf("127.%d.%d.%d", 2+rand.IntN(250), 2+rand.IntN(250), 2+rand.IntN(250))
	conns := []*livetest.Conn{n.Connect(t, addr), n.Connect(t, "::1")}
	time.Sleep(400 * time.Millisecond)
	remove := n.DropInputUntil(t, conns[0].SPort, conns[1].SPort)
	for _, c := range conns {
		c.KeepSending(t)
	}
	for _, c := range conns {
		c.WaitRetransmits(t, 1, livetest.Scaled(wait))
	}
	time.Sleep(300 * time.Millisecond)
	remove()
	for _, c := range conns {
		waitOpen(t, c)
	}
	reported := summaries(t, micro)
	for i, c := range conns {
		var got *conn
		for _, s := range reported {
			for _, e := range s.Connections {
				if e.Lport == c.CPort && e.Rport == c.SPort {
					got = &e
				}
			}
		}
		a := []string{addr, "::1"}[i]
		if got == nil {
			t.Errorf("%s client port %d: no connection reported", a, c.CPort)
			continue
		}
		t.Logf("%s: %+v", a, *got)
		// the kernel picks 127.0.0.1 as the source of a 127/8 destination
		if got.Laddr != []string{"127.0.0.1", "::1"}[i] || got.Raddr != a || got.IP != 4+2*i || got.Unit != "us" ||
			got.Open < 400000 || got.Loss < 300000 || got.Changes < 2 {
			t.Errorf("%s: %+v; want open >= 400000 us, loss >= 300000 us, 2 changes or more", a, *got)
		}
	}
	// at least our two connections' open and loss times, in buckets of
	// 256 ms or more
	long := map[string]uint64{}
	for _, s := range summaries(t, dist) {
		for _, h := range s.Histograms {
			for _, b := range h.Buckets {
				if b.Low >= 256 && h.Unit == "msecs" {
					long[h.State] += b.Count
				}
			}
		}
	}
	if long["open"] < 2 || long["loss"] < 2 {
		t.Errorf("-d: %v times of 256 ms or more by state; want open and loss 2 or more", long)
	}
	for _, s := range summaries(t, excluded) {
		for _, e := range s.Connections {
			if e.Rport != 1 {
				t.Errorf("-R 1-1 reported %+v", e)
			}
		}
	}
}
