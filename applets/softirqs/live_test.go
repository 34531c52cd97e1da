package softirqs

import (
	"encoding/json"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
)

func TestMain(m *testing.M) { livetest.Main(m) }

type jsonSummary struct {
	Summary  int    `json:"summary"`
	Time     string `json:"time"`
	Softirqs []struct {
		Name  string `json:"name"`
		Count uint64 `json:"count"`
		Total uint64 `json:"total"`
		Unit  string `json:"unit"`
		Hist  *struct {
			Unit    string `json:"unit"`
			Buckets []struct {
				Low, High, Count uint64
			} `json:"buckets"`
		} `json:"hist"`
	} `json:"softirqs"`
	NotCounted map[string]uint64 `json:"not_counted"`
	Missed     uint64            `json:"missed"`
}

func procSoftirqs(t *testing.T, cpu int) map[string]uint64 { return livetest.ProcSoftirqs(t, cpu) }

func sub(a, b map[string]uint64) map[string]uint64 { return livetest.SubCounts(a, b) }

// floodNetRX sends data over a loopback TCP connection (every segment is
// received through the NET_RX softirq) until /proc/softirqs counts at least
// n more NET_RX runs than from, or Scaled(wait) has passed: how long that
// takes is the kernel's business (under emulation a 500 ms flood raised as
// few as 5, many segments batched into one run).
func floodNetRX(t *testing.T, from map[string]uint64, n uint64) {
	t.Helper()
	stop := make(chan struct{})
	flooded := make(chan error, 1)
	go func() { flooded <- floodUntil(stop) }()
	func() {
		defer close(stop)
		for deadline := time.Now().Add(livetest.Scaled(wait)); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if sub(procSoftirqs(t, -1), from)["net_rx"] >= n {
				return
			}
		}
	}()
	if err := <-flooded; err != nil {
		t.Fatal(err)
	}
}

// floodUntil floods loopback TCP until stop is closed.
func floodUntil(stop <-chan struct{}) error {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer l.Close()
	go func() {
		c, err := l.Accept()
		if err == nil {
			io.Copy(io.Discard, c)
			c.Close()
		}
	}()
	c, err := net.Dial("tcp4", l.Addr().String())
	if err != nil {
		return err
	}
	defer c.Close()
	buf := make([]byte, 1000) // small writes: many segments
	for {
		select {
		case <-stop:
			return nil
		default:
		}
		if _, err := c.Write(buf); err != nil {
			return err
		}
	}
}

func start(t *testing.T, args ...string) *livetest.Tool {
	t.Helper()
	livetest.Require(t)
	tool := livetest.Start(t, Applet, append([]string{"-v"}, args...)...)
	if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("softirqs did not start; stderr:\n%s", strings.Join(tool.Stderr(), "\n"))
	}
	return tool
}

func stop(t *testing.T, tool *livetest.Tool) jsonSummary {
	t.Helper()
	if status := tool.Stop(); status != 0 {
		t.Fatalf("status %d; stderr %q", status, tool.Stderr())
	}
	out := tool.Stdout()
	if len(out) != 1 {
		t.Fatalf("want one summary at Ctrl-C, got %q", out)
	}
	dec := json.NewDecoder(strings.NewReader(out[0]))
	dec.DisallowUnknownFields()
	var s jsonSummary
	if err := dec.Decode(&s); err != nil {
		t.Fatalf("%q: %v", out[0], err)
	}
	return s
}

// TestLiveNetRX: a loopback flood is counted under net_rx, and every
// vector's runs agree with /proc/softirqs: at least what the kernel
// counted while the tool was surely attached, at most what it counted
// around the whole run. Three runs at once: -C, -d -N, and -C -c 0.
// Each hook candidate in turn.
func TestLiveNetRX(t *testing.T) {
	for _, tc := range []struct{ disable, hook string }{
		{"", "using tp_btf softirq_entry + tp_btf softirq_exit"},
		{"tp_btf", "using raw_tracepoint softirq_entry + raw_tracepoint softirq_exit"},
		{"tp_btf,raw_tracepoint", "using tracepoint irq:softirq_entry + tracepoint irq:softirq_exit"},
	} {
		t.Run("disable="+strings.ReplaceAll(tc.disable, ",", "+"), func(t *testing.T) {
			if tc.disable != "" && livetest.RerunFresh(t, "PROBEBOX_DISABLE="+tc.disable) {
				return
			}
			before, before0 := procSoftirqs(t, -1), procSoftirqs(t, 0)
			counts := start(t, "--json", "-C")
			dist := start(t, "--json", "-d", "-N")
			cpu0 := start(t, "--json", "-C", "-c", "0")
			from, from0 := procSoftirqs(t, -1), procSoftirqs(t, 0)
			floodNetRX(t, from, 50)
			to, to0 := procSoftirqs(t, -1), procSoftirqs(t, 0)
			sc, sd, s0 := stop(t, counts), stop(t, dist), stop(t, cpu0)
			after, after0 := procSoftirqs(t, -1), procSoftirqs(t, 0)
			if !strings.Contains(strings.Join(counts.Stderr(), "\n"), tc.hook) {
				t.Errorf("-v does not say %q: %q", tc.hook, counts.Stderr())
			}
			check := func(what string, s jsonSummary, inner, outer map[string]uint64, unit string) {
				seen := map[string]uint64{}
				for _, v := range s.Softirqs {
					seen[v.Name] = v.Count
					if v.Unit != unit || v.Total == 0 && v.Count > 10 {
						t.Errorf("%s: %s: total %d %s for %d runs", what, v.Name, v.Total, v.Unit, v.Count)
					}
					if v.Hist != nil {
						var n uint64
						for _, b := range v.Hist.Buckets {
							n += b.Count
						}
						if n != v.Count {
							t.Errorf("%s: %s: histogram holds %d runs, count %d", what, v.Name, n, v.Count)
						}
					}
				}
				for name, lo := range inner {
					// A run in flight at the end may be counted by /proc
					// only; runs the kernel skipped are reported as missed.
					if hi := outer[name]; seen[name]+2+s.Missed < lo || seen[name] > hi {
						t.Errorf("%s: %s counted %d, /proc/softirqs says %d..%d", what, name, seen[name], lo, hi)
					}
				}
				for name := range seen {
					if _, ok := outer[name]; !ok {
						t.Errorf("%s: %s is not a vector of /proc/softirqs", what, name)
					}
				}
			}
			inner, outer := sub(to, from), sub(after, before)
			if inner["net_rx"] < 50 {
				t.Fatalf("the flood raised only %d NET_RX softirqs", inner["net_rx"])
			}
			check("-C", sc, inner, outer, "usecs")
			check("-d -N", sd, inner, outer, "nsecs")
			check("-c 0", s0, sub(to0, from0), sub(after0, before0), "usecs")
			for _, v := range sd.Softirqs {
				if v.Hist == nil {
					t.Errorf("-d: %s has no histogram", v.Name)
				}
			}
		})
	}
}

// TestLiveIntervalText: "1 2" with -T prints two timestamped tables and
// ends by itself. The flood runs from the moment the tool says it traces
// until it exits (under emulation loading alone outlasts a fixed flood).
func TestLiveIntervalText(t *testing.T) {
	tool := start(t, "-T", "-C", "1", "2")
	stop := make(chan struct{})
	flooded := make(chan error, 1)
	go func() { flooded <- floodUntil(stop) }()
	status, ok := tool.Exited(wait)
	close(stop)
	if err := <-flooded; err != nil {
		t.Fatal(err)
	}
	if !ok || status != 0 {
		t.Fatalf("exited %v status %d; %q", ok, status, tool.Stderr())
	}
	out := tool.Stdout()
	headers, netrx := 0, 0
	for _, l := range out {
		if l == "SOFTIRQ          TOTAL_usecs  TOTAL_count" {
			headers++
		}
		if f := strings.Fields(l); len(f) == 3 && f[0] == "net_rx" {
			netrx++
		}
	}
	if out[0] != "Tracing soft irq event time... Hit Ctrl-C to end." || headers != 2 || netrx == 0 {
		t.Errorf("want banner, 2 tables and a net_rx row:\n%s", strings.Join(out, "\n"))
	}
}
