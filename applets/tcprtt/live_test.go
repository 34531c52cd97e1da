package tcprtt

import (
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/tcprtt"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/hist"
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
		t.Fatalf("tcprtt did not start: %q", tool.Stderr())
	}
	return tool
}

type bucket struct{ Low, High, Count uint64 }

type jsonSummary struct {
	Histograms []struct {
		Laddr, Raddr string
		Avg          *uint64
		Unit         string
		Buckets      []bucket
	}
	NotCounted map[string]uint64 `json:"not_counted"`
}

func summaries(t *testing.T, tool *livetest.Tool) []jsonSummary {
	t.Helper()
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

// reading is the client's tcp_info at one moment: its smoothed RTT and how
// many segments it had received since the tools started.
type reading struct {
	srtt uint64 // usecs
	segs uint32
}

// delayedAcks makes the server side of c acknowledge late: with
// TCP_QUICKACK off it waits for its delayed-ACK timer (at least 40ms on
// Linux) before acknowledging each small segment, so the client's RTT
// samples, and its smoothed RTT, grow to that delay. The client sends a
// small segment every 60ms for about a second and a half, reading its
// tcp_info after each; it returns those readings, the segment count just
// before its FIN and the reading after it (when the server has read it).
func delayedAcks(t *testing.T, c *livetest.Conn) (reads []reading, beforeFIN uint32, end reading) {
	t.Helper()
	raw, err := c.Server.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	quickackOff := func() {
		raw.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_QUICKACK, 0) })
	}
	base := livetest.TCPInfo(t, c.Client).Segs_in
	read := func() reading {
		i := livetest.TCPInfo(t, c.Client)
		return reading{uint64(i.Rtt), i.Segs_in - base}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 4096)
		for {
			quickackOff() // the kernel turns it back on now and then
			if _, err := c.Server.Read(buf); err != nil {
				if err != io.EOF {
					t.Errorf("server read: %v", err)
				}
				return
			}
		}
	}()
	quickackOff()
	for i := 0; i < 25; i++ {
		if _, err := c.Client.Write([]byte("ping")); err != nil {
			t.Fatal(err)
		}
		time.Sleep(60 * time.Millisecond)
		reads = append(reads, read())
	}
	beforeFIN = read().segs
	c.Client.CloseWrite()
	<-done
	return reads, beforeFIN, read()
}

// TestLiveDelayedBucket: the client's smoothed RTT as the kernel reports
// it (tcp_info), with -p keeping the server's own samples out, in usecs
// and -m msecs. The tool samples the smoothed RTT on entry to
// tcp_rcv_established, that is once per segment the client receives while
// established (every segment before its FIN, none after), before the
// segment updates it. So the sample count lies between the client's
// received-segment counts (tcpi_segs_in) just before and just after its
// FIN, and a smoothed RTT the test read after k segments was sampled by
// segment k+1 whenever the tool counted more than k: its bucket must not
// be empty. (Comparing only the final smoothed RTT with the largest
// bucket held on the host but not under emulation, where the delays vary
// and the smoothed RTT falls below an earlier sample's.)
func TestLiveDelayedBucket(t *testing.T) {
	n := livetest.NewNetns(t)
	c := n.Connect(t, "127.0.0.1")
	us := start(t, "--json", "-e", "-p", strconv.Itoa(c.CPort))
	ms := start(t, "--json", "-m", "-P", strconv.Itoa(c.SPort), "-a", "127.0.0.1")
	reads, beforeFIN, end := delayedAcks(t, c)
	srtt, afterFIN := end.srtt, end.segs
	t.Logf("client srtt %dus; segments received: %d before its FIN, %d after", srtt, beforeFIN, afterFIN)
	for _, tc := range []struct {
		tool *livetest.Tool
		unit string
		div  uint64 // usecs per unit
	}{{us, "usecs", 1}, {ms, "msecs", 1000}} {
		tc.tool.Stop()
		s := summaries(t, tc.tool)
		if len(s) != 1 || len(s[0].Histograms) != 1 {
			t.Fatalf("want one summary with one histogram: %+v", s)
		}
		h := s[0].Histograms[0]
		var total, delayed uint64
		for _, b := range h.Buckets {
			total += b.Count
			if b.Low >= srtt/tc.div/8 {
				delayed += b.Count
			}
		}
		if total < uint64(beforeFIN) || total > uint64(afterFIN) || delayed*2 < total {
			t.Errorf("%s: %d samples, %d of them near the delay: want one per segment received while established (%d-%d), most delayed: %+v",
				tc.unit, total, delayed, beforeFIN, afterFIN, h.Buckets)
		}
		checked := 0
		for _, r := range reads {
			if uint64(r.segs) >= total {
				continue // maybe not sampled: no later segment while established
			}
			checked++
			v := r.srtt / tc.div
			if slot := hist.Log2Slot(v); slot >= len(h.Buckets) || h.Buckets[slot].Count == 0 {
				t.Errorf("%s: smoothed RTT %d (after %d segments, of %d sampled) is in slot %d, empty: %+v", tc.unit, v, r.segs, total, slot, h.Buckets)
			}
		}
		t.Logf("%s: %d samples; %d of the %d smoothed RTTs read were sampled", tc.unit, total, checked, len(reads))
		if checked == 0 {
			t.Errorf("%s: no smoothed RTT read before the last sampled segment (%d samples, readings %+v)", tc.unit, total, reads)
		}
		if tc.unit == "usecs" && (h.Avg == nil || *h.Avg == 0 || *h.Avg > 2*srtt) {
			t.Errorf("-e: avg %v, want a value near the smoothed RTT %dus", h.Avg, srtt)
		}
		if h.Unit != tc.unit || h.Laddr != "" || h.Raddr != "" {
			t.Errorf("histogram %+v: want unit %s and no address", h, tc.unit)
		}
	}
}

// TestLiveByAddress: -B keeps one histogram per remote address, IPv4 and
// IPv6, on every hook candidate (the tracefs one reads the addresses from
// the tracepoint's record, the others from the socket).
func TestLiveByAddress(t *testing.T) {
	for _, tc := range []struct{ disable, hook string }{
		{"", "using "}, // the best this kernel has
		{"fentry,kprobe", "using tp_btf tcp_probe"},
		{"fentry,kprobe,tp_btf", "using raw_tracepoint tcp_probe"},
		{"fentry,kprobe,tp_btf,raw_tracepoint", "using tracepoint tcp:tcp_probe"},
	} {
		t.Run("disable="+tc.disable, func(t *testing.T) {
			if tc.disable != "" && livetest.RerunFresh(t, "PROBEBOX_DISABLE="+tc.disable) {
				return
			}
			t.Setenv("PROBEBOX_DISABLE", tc.disable)
			byAddress(t, tc.hook)
		})
	}
}

func byAddress(t *testing.T, hook string) {
	tool := start(t, "--json", "-B")
	if !strings.Contains(strings.Join(tool.Stderr(), "\n"), hook) {
		t.Errorf("-v does not say %q: %q", hook, tool.Stderr())
	}
	n := livetest.NewNetns(t)
	for _, addr := range []string{"127.0.0.1", "::1"} {
		c := n.Connect(t, addr)
		go io.Copy(io.Discard, c.Server)
		for i := 0; i < 10; i++ {
			c.Client.Write([]byte("x"))
			time.Sleep(5 * time.Millisecond)
		}
	}
	time.Sleep(100 * time.Millisecond)
	tool.Stop()
	s := summaries(t, tool)
	if len(s) != 1 {
		t.Fatalf("want one summary at the end: %q", tool.Stdout())
	}
	counts := map[string]uint64{}
	for _, h := range s[0].Histograms {
		if h.Raddr == "" || h.Laddr != "" {
			t.Errorf("-B histogram without a remote address: %+v", h)
		}
		for _, b := range h.Buckets {
			counts[h.Raddr] += b.Count
		}
	}
	for _, addr := range []string{"127.0.0.1", "::1"} {
		if counts[addr] < 10 {
			t.Errorf("remote %s: %d samples, want at least the 10 segments sent there (%v)", addr, counts[addr], counts)
		}
	}
}

// TestLiveFunctionProgramsVerify: the kprobe program (and fentry where the
// kernel allows it) passes the verifier here, even where it cannot attach.
func TestLiveFunctionProgramsVerify(t *testing.T) {
	livetest.Require(t)
	spec, err := bpfobj.LoadTcprtt()
	if err != nil {
		t.Fatal(err)
	}
	keep := map[string]bool{"kprobe_rcv": true, "fentry_rcv": attach.Running.Supports(attach.Fentry) == nil}
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
