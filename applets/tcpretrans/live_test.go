package tcpretrans

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/livetest"
)

// The first retransmit comes after the minimum RTO (200ms) and later ones
// back off; this only bounds how long a broken setup is waited for.
const wait = 10 * time.Second

func TestMain(m *testing.M) { livetest.Main(m) }

func start(t *testing.T, args ...string) *livetest.Tool {
	t.Helper()
	livetest.Require(t)
	tool := livetest.Start(t, Applet, append([]string{"-v"}, args...)...)
	if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("tcpretrans did not start: %q", tool.Stderr())
	}
	return tool
}

// retransmitting makes a connection in a fresh namespace whose server port
// drops incoming segments, and keeps the client sending.
func retransmitting(t *testing.T, n *livetest.Netns, addr string) *livetest.Conn {
	t.Helper()
	c := n.Connect(t, addr)
	n.DropInput(t, c.SPort)
	c.KeepSending(t)
	return c
}

// TestLiveRetransmits: the text columns of the client's retransmits.
func TestLiveRetransmits(t *testing.T) {
	tool := start(t, "-s")
	if _, ok := tool.WaitStdout(t, wait, func(l string) bool { return strings.HasPrefix(l, "TIME     PID     IP LADDR:LPORT") }); !ok {
		t.Fatalf("no header: %q", tool.Stdout())
	}
	c := retransmitting(t, livetest.NewNetns(t), "127.0.0.1")
	ours := func(l string) bool {
		f := strings.Fields(l)
		return len(f) == 8 && f[3] == fmt.Sprintf("127.0.0.1:%d", c.CPort) && f[5] == fmt.Sprintf("127.0.0.1:%d", c.SPort)
	}
	first, ok := tool.WaitStdout(t, wait, ours)
	if !ok {
		t.Fatalf("no retransmit of 127.0.0.1:%d -> :%d within %v (client counts %d); stdout %q", c.CPort, c.SPort, wait, c.Retransmits(t), tool.Stdout())
	}
	f := strings.Fields(first)
	if f[2] != "4" || f[4] != "R>" || f[6] != "ESTABLISHED" {
		t.Errorf("line %q: want IP 4, R>, ESTABLISHED", first)
	}
	if _, err := time.Parse("15:04:05", f[0]); err != nil {
		t.Errorf("TIME column %q: %v", f[0], err)
	}
	seq, err := strconv.ParseUint(f[7], 10, 32)
	if err != nil {
		t.Fatalf("SEQ column %q: %v", f[7], err)
	}
	// Nothing is acknowledged, so every retransmit resends bytes of the
	// little the client sent: SEQs of one flow lie within that window (the
	// first may be a loss probe of the tail, the next the head).
	count := 0
	second, ok := tool.WaitStdout(t, wait, func(l string) bool {
		if ours(l) {
			count++
		}
		return count == 2
	})
	if !ok {
		t.Fatalf("no second retransmit; stdout %q", tool.Stdout())
	}
	seq2, err := strconv.ParseUint(strings.Fields(second)[7], 10, 32)
	if d := int32(uint32(seq2) - uint32(seq)); err != nil || d < -64*1000 || d > 64*1000 {
		t.Errorf("SEQ %d then %q: not within the bytes the client sent", seq, strings.Fields(second)[7])
	}
	if status := tool.Stop(); status != 0 {
		t.Errorf("exit status %d; stderr %q", status, tool.Stderr())
	}
}

type jsonEvent struct {
	IP    int    `json:"ip"`
	Laddr string `json:"laddr"`
	Lport int    `json:"lport"`
	Raddr string `json:"raddr"`
	Rport int    `json:"rport"`
	Type  string `json:"type"`
	State string `json:"state"`
	Time  string `json:"time"`
}

func decodeAll(t *testing.T, lines []string) []jsonEvent {
	t.Helper()
	var out []jsonEvent
	for _, l := range lines {
		var e jsonEvent
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("not JSON: %q: %v", l, err)
		}
		out = append(out, e)
	}
	return out
}

// TestLiveJSONFamily: --json -6 reports an IPv6 flow and not an IPv4 one
// retransmitting at the same time.
func TestLiveJSONFamily(t *testing.T) {
	tool := start(t, "--json", "-6")
	n := livetest.NewNetns(t)
	c4, c6 := n.Connect(t, "127.0.0.1"), n.Connect(t, "::1")
	n.DropInput(t, c4.SPort, c6.SPort)
	c4.KeepSending(t)
	c6.KeepSending(t)
	match := fmt.Sprintf(`"lport":%d,`, c6.CPort)
	line, ok := tool.WaitStdout(t, wait, func(l string) bool { return strings.Contains(l, match) })
	if !ok {
		t.Fatalf("no IPv6 retransmit for port %d; stdout %q", c6.CPort, tool.Stdout())
	}
	e := decodeAll(t, []string{line})[0]
	want := jsonEvent{IP: 6, Laddr: "::1", Lport: c6.CPort, Raddr: "::1", Rport: c6.SPort, Type: "retransmit", State: "ESTABLISHED", Time: e.Time}
	if e != want {
		t.Errorf("got %+v, want %+v", e, want)
	}
	c4.WaitRetransmits(t, 1, wait)
	tool.Stop() // drains what the kernel had already delivered
	for _, e := range decodeAll(t, tool.Stdout()) {
		if e.IP != 6 || e.Lport == c4.CPort || e.Rport == c4.CPort {
			t.Errorf("-6 reported %+v", e)
		}
	}
}

// TestLiveCount: -c and -c --json count the client's retransmits in one
// row per flow; the kernel's own count for the socket is the lower bound.
func TestLiveCount(t *testing.T) {
	text, js := start(t, "-c"), start(t, "-c", "--json")
	c := retransmitting(t, livetest.NewNetns(t), "127.0.0.1")
	c.WaitRetransmits(t, 2, wait)
	// A state change (ESTABLISHED to FIN_WAIT1) must not split the flow.
	if err := c.Client.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	min := c.WaitRetransmits(t, c.Retransmits(t)+1, wait)
	for _, tool := range []*livetest.Tool{text, js} {
		if status := tool.Stop(); status != 0 {
			t.Fatalf("exit status %d; stderr %q", status, tool.Stderr())
		}
	}

	out := text.Stdout()
	if len(out) < 3 || out[0] != "Tracing retransmits ... Hit Ctrl-C to end" || out[1] != "" || out[2] != "LADDR:LPORT               RADDR:RPORT               RETRANSMITS" {
		t.Fatalf("-c output %q", out)
	}
	found := false
	for _, l := range out[3:] {
		f := strings.Fields(l)
		if len(f) != 4 || f[0] != fmt.Sprintf("[127.0.0.1]#%d", c.CPort) {
			continue
		}
		n, err := strconv.ParseUint(f[3], 10, 64)
		if f[1] != "<->" || f[2] != fmt.Sprintf("[127.0.0.1]#%d", c.SPort) || err != nil || n < uint64(min) {
			t.Errorf("-c line %q: want [127.0.0.1]#%d with at least %d retransmits", l, c.SPort, min)
		}
		if found {
			t.Errorf("-c: a second line for the flow: %q", l)
		}
		found = true
	}
	if !found {
		t.Errorf("-c: no line for [127.0.0.1]#%d in %q", c.CPort, out)
	}

	found = false
	for _, l := range js.Stdout() {
		var e struct {
			IP           int
			Laddr, Raddr string
			Lport, Rport int
			Retransmits  uint64
		}
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("-c --json: %q: %v", l, err)
		}
		if e.Lport != c.CPort {
			continue
		}
		if found {
			t.Errorf("-c --json: a second object for the flow: %q", l)
		}
		found = true
		if e.IP != 4 || e.Laddr != "127.0.0.1" || e.Raddr != "127.0.0.1" || e.Rport != c.SPort || e.Retransmits < uint64(min) {
			t.Errorf("-c --json: %q, want port %d and at least %d retransmits", l, c.SPort, min)
		}
	}
	if !found {
		t.Errorf("-c --json: no object for port %d in %q", c.CPort, js.Stdout())
	}
}

// TestLiveLossProbe: -l traces where fentry or kprobes reach
// tcp_send_loss_probe, and otherwise exits 1 with one line naming it.
func TestLiveLossProbe(t *testing.T) {
	livetest.Require(t)
	_, missing := attach.Choose([]attach.Hook{TLPHook}, attach.Running)
	tool := livetest.Start(t, Applet, "-v", "-l")
	if missing == nil {
		if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
			t.Fatalf("-l did not start: %q", tool.Stderr())
		}
		// On loopback the probe timeout (about 2 RTTs, at least 10ms)
		// ends long before the 200ms RTO: the first thing a dropped
		// flow sends again is a tail loss probe (tcp_early_retrans >= 3,
		// the default).
		c := retransmitting(t, livetest.NewNetns(t), "127.0.0.1")
		tlp := func(l string) bool {
			f := strings.Fields(l)
			return len(f) == 7 && f[3] == fmt.Sprintf("127.0.0.1:%d", c.CPort) && f[4] == "L>" && f[5] == fmt.Sprintf("127.0.0.1:%d", c.SPort)
		}
		if _, ok := tool.WaitStdout(t, wait, tlp); !ok {
			t.Fatalf("-l: no L line for %d -> %d; stdout %q", c.CPort, c.SPort, tool.Stdout())
		}
		return
	}
	status, ok := tool.Exited(wait)
	if !ok || status != 1 {
		t.Fatalf("-l without a hook: exited %v, status %d; want 1", ok, status)
	}
	var reason []string
	for _, l := range tool.Stderr() {
		if strings.HasPrefix(l, "tcpretrans: -l: ") {
			reason = append(reason, l)
		}
	}
	if len(reason) != 1 || !strings.Contains(reason[0], "tcp_send_loss_probe") || !strings.Contains(reason[0], "run without -l") {
		t.Errorf("stderr %q: want one line naming tcp_send_loss_probe", tool.Stderr())
	}
	if len(tool.Stdout()) != 0 {
		t.Errorf("-l without a hook printed %q", tool.Stdout())
	}
}

// TestLiveCountFull: with a counts map of one key (countsEntries: the
// applet runs in this process), two retransmitting connections give one
// row, and the other's retransmits are reported as not counted.
func TestLiveCountFull(t *testing.T) {
	countsEntries = 1
	t.Cleanup(func() { countsEntries = 0 })
	tool := start(t, "-c", "--json")
	n := livetest.NewNetns(t)
	a, b := retransmitting(t, n, "127.0.0.1"), retransmitting(t, n, "127.0.0.1")
	a.WaitRetransmits(t, 2, wait)
	b.WaitRetransmits(t, 2, wait)
	if status := tool.Stop(); status != 0 {
		t.Fatalf("exit status %d; stderr %q", status, tool.Stderr())
	}
	if rows := len(tool.Stdout()); rows != 1 {
		t.Fatalf("%d rows in a map of 1 key: %q", rows, tool.Stdout())
	}
	found := false
	for _, l := range tool.Stderr() {
		found = found || (strings.HasPrefix(l, "tcpretrans: ") && strings.HasSuffix(l, " retransmits not counted: the counts map of 1 keys was full"))
	}
	if !found {
		t.Errorf("no report of the full map in %q", tool.Stderr())
	}
}
