package biolatency

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
)

const wait = 20 * time.Second

func TestMain(m *testing.M) { livetest.Main(m) }

type jsonHist struct {
	Disk    *string `json:"disk"`
	Flags   *string `json:"flags"`
	Unit    string  `json:"unit"`
	Buckets []struct {
		Low   uint64 `json:"low"`
		High  uint64 `json:"high"`
		Count uint64 `json:"count"`
	} `json:"buckets"`
}

type jsonSummary struct {
	Summary    int               `json:"summary"`
	Time       string            `json:"time"`
	Histograms []jsonHist        `json:"histograms"`
	NotCounted map[string]uint64 `json:"not_counted"`
}

func (h jsonHist) total() (n uint64) {
	for _, b := range h.Buckets {
		n += b.Count
	}
	return n
}

func parseSummary(t *testing.T, line string) jsonSummary {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(line))
	dec.DisallowUnknownFields()
	var s jsonSummary
	if err := dec.Decode(&s); err != nil {
		t.Fatalf("line %q is not a biolatency summary: %v", line, err)
	}
	return s
}

// start runs biolatency with args and waits until it is attached.
func start(t *testing.T, args ...string) *livetest.Tool {
	t.Helper()
	livetest.Require(t)
	tool := livetest.Start(t, Applet, append([]string{"-v"}, args...)...)
	if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("biolatency did not start; stderr:\n%s", strings.Join(tool.Stderr(), "\n"))
	}
	return tool
}

// summaryAtStop stops the tool (Ctrl-C) and returns the one JSON summary
// it printed then.
func summaryAtStop(t *testing.T, tool *livetest.Tool) jsonSummary {
	t.Helper()
	if status := tool.Stop(); status != 0 {
		t.Fatalf("exit status %d; stderr:\n%s", status, strings.Join(tool.Stderr(), "\n"))
	}
	out := tool.Stdout()
	if len(out) != 1 {
		t.Fatalf("want one summary at Ctrl-C, got %q", out)
	}
	return parseSummary(t, out[0])
}

// doIO writes and reads n times 4 KiB with O_DIRECT on loop.
func doIO(t *testing.T, loop *livetest.Loop, writes, reads int) {
	t.Helper()
	for i := 0; i < writes; i++ {
		loop.WriteDirect(t, int64(i)*4096, 4096)
	}
	for i := 0; i < reads; i++ {
		loop.ReadDirect(t, int64(i)*4096, 4096)
	}
}

// TestLiveCounts: on every hook candidate, -d of the test's loop device
// counts at least the I/Os the test did there.
func TestLiveCounts(t *testing.T) {
	for _, tc := range []struct{ disable, hook string }{
		{"", "using tp_btf block_rq_insert + tp_btf block_rq_issue + tp_btf block_rq_complete"},
		{"tp_btf", "using raw_tracepoint block_rq_insert + raw_tracepoint block_rq_issue + raw_tracepoint block_rq_complete"},
		{"tp_btf,raw_tracepoint", "using tracepoint block:block_rq_insert + tracepoint block:block_rq_issue + tracepoint block:block_rq_complete"},
	} {
		t.Run("disable="+tc.disable, func(t *testing.T) {
			if tc.disable != "" && livetest.RerunFresh(t, "PROBEBOX_DISABLE="+tc.disable) {
				return
			}
			t.Setenv("PROBEBOX_DISABLE", tc.disable)
			loop := livetest.LoopDevice(t, 16<<20)
			tool := start(t, "--json", "-Q", "-d", loop.Name)
			doIO(t, loop, 5, 7)
			s := summaryAtStop(t, tool)
			if !strings.Contains(strings.Join(tool.Stderr(), "\n"), tc.hook) {
				t.Errorf("-v does not say %q:\n%s", tc.hook, strings.Join(tool.Stderr(), "\n"))
			}
			if len(s.Histograms) != 1 || s.Histograms[0].Unit != "usecs" || s.Histograms[0].Disk != nil {
				t.Fatalf("want one usecs histogram without a key: %+v", s)
			}
			if n := s.Histograms[0].total(); n < 12 {
				t.Errorf("counted %d I/Os on %s, the test did 12", n, loop.Name)
			}
			if s.NotCounted == nil || s.NotCounted["hists"] != 0 || s.NotCounted["starts"] != 0 {
				t.Errorf("not_counted %v, want zeros with the maps at their sizes", s.NotCounted)
			}
		})
	}
}

// TestLivePerDiskFilter: -D names the loop device; -d keeps a second
// loop device's I/O out.
func TestLivePerDiskFilter(t *testing.T) {
	a := livetest.LoopDevice(t, 16<<20)
	b := livetest.LoopDevice(t, 16<<20)
	perDisk := start(t, "--json", "-D")
	filtered := start(t, "--json", "-D", "-d", a.Name)
	doIO(t, a, 3, 3)
	doIO(t, b, 4, 4)
	counts := func(s jsonSummary) map[string]uint64 {
		m := map[string]uint64{}
		for _, h := range s.Histograms {
			if h.Disk == nil {
				t.Fatalf("-D histogram without a disk: %+v", h)
			}
			m[*h.Disk] += h.total()
		}
		return m
	}
	all := counts(summaryAtStop(t, perDisk))
	if all[a.Name] < 6 || all[b.Name] < 8 {
		t.Errorf("-D: %v, want at least 6 on %s and 8 on %s", all, a.Name, b.Name)
	}
	only := counts(summaryAtStop(t, filtered))
	if len(only) != 1 || only[a.Name] < 6 {
		t.Errorf("-D -d %s: %v, want only %s with at least 6", a.Name, only, a.Name)
	}
}

// TestLivePerFlag: -F puts reads and writes in different histograms.
func TestLivePerFlag(t *testing.T) {
	loop := livetest.LoopDevice(t, 16<<20)
	tool := start(t, "--json", "-F", "-d", loop.Name)
	doIO(t, loop, 3, 5)
	var reads, writes uint64
	for _, h := range summaryAtStop(t, tool).Histograms {
		if h.Flags == nil {
			t.Fatalf("-F histogram without flags: %+v", h)
		}
		switch {
		case strings.HasSuffix(*h.Flags, "-Read") || *h.Flags == "Read":
			reads += h.total()
		case strings.HasSuffix(*h.Flags, "-Write") || *h.Flags == "Write":
			writes += h.total()
		}
	}
	if reads < 5 || writes < 3 {
		t.Errorf("-F: %d in read histograms (want >= 5), %d in write histograms (want >= 3)", reads, writes)
	}
}

// TestLiveText: text output of "-D -F 1 1" is libbpf-tools' layout and
// ends by itself.
func TestLiveText(t *testing.T) {
	loop := livetest.LoopDevice(t, 16<<20)
	tool := start(t, "-D", "-F", "-d", loop.Name, "1", "1")
	doIO(t, loop, 2, 2)
	if status, exited := tool.Exited(wait); !exited || status != 0 {
		t.Fatalf("exited %v status %d", exited, status)
	}
	out := strings.Join(tool.Stdout(), "\n")
	for _, want := range []string{
		"Tracing block device I/O... Hit Ctrl-C to end.\n\n",
		"\n\ndisk = " + loop.Name + "\tflags = ",
		"Write\n     usecs               : count    distribution\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestLiveIntervalCount: "--json 1 2" prints two summaries and ends.
func TestLiveIntervalCount(t *testing.T) {
	tool := start(t, "--json", "-T", "-m", "1", "2")
	if status, exited := tool.Exited(wait); !exited || status != 0 {
		t.Fatalf("exited %v status %d", exited, status)
	}
	out := tool.Stdout()
	if len(out) != 2 {
		t.Fatalf("want 2 summaries, got %q", out)
	}
	for i, l := range out {
		s := parseSummary(t, l)
		if s.Summary != i+1 || len(s.Time) != 8 {
			t.Errorf("summary %d: %+v", i+1, s)
		}
		for _, h := range s.Histograms {
			if h.Unit != "msecs" {
				t.Errorf("-m: unit %q", h.Unit)
			}
		}
	}
}

// TestLiveFullHists: -F with room for one key, for reads and writes: the
// requests the map had no key for are counted in --json's not_counted and
// said on stderr, not silently left out.
func TestLiveFullHists(t *testing.T) {
	loop := livetest.LoopDevice(t, 16<<20)
	tool := start(t, "--json", "-F", "--max-keys", "1", "-d", loop.Name)
	doIO(t, loop, 3, 5)
	s := summaryAtStop(t, tool)
	if len(s.Histograms) != 1 {
		t.Errorf("%d histograms in a map of 1 key", len(s.Histograms))
	}
	n := s.NotCounted["hists"]
	if n < 3 || n+s.Histograms[0].total() < 8 {
		t.Fatalf("not_counted %v and %d counted, for 3 writes and 5 reads", s.NotCounted, s.Histograms[0].total())
	}
	want := fmt.Sprintf("biolatency: %d I/O requests not counted: the hists map of 1 keys was full (raise --max-keys)", n)
	if !slices.Contains(tool.Stderr(), want) {
		t.Errorf("stderr %q, want the line %q", tool.Stderr(), want)
	}
}

// TestLiveFullStarts: a map of requests in flight too small for them
// (shrunk through startsEntries: the applet runs in this process) is
// reported. One 4 MiB write is split in requests in flight together.
func TestLiveFullStarts(t *testing.T) {
	startsEntries = 1
	t.Cleanup(func() { startsEntries = 0 })
	loop := livetest.LoopDevice(t, 16<<20)
	tool := start(t, "--json", "-d", loop.Name)
	for i := 0; i < 4; i++ {
		loop.WriteDirect(t, int64(i)<<22, 4<<20)
	}
	s := summaryAtStop(t, tool)
	n := s.NotCounted["starts"]
	if n == 0 {
		t.Fatalf("not_counted %v: want starts > 0", s.NotCounted)
	}
	want := fmt.Sprintf("biolatency: %d I/O requests not counted: the starts map of 1 keys was full", n)
	if !slices.Contains(tool.Stderr(), want) {
		t.Errorf("stderr %q, want the line %q", tool.Stderr(), want)
	}
}

// TestLiveCgroup: -c counts the O_DIRECT writes of a helper process in a
// test cgroup, and none of the more numerous ones the test makes from
// outside it on the same disk.
func TestLiveCgroup(t *testing.T) {
	loop := livetest.LoopDevice(t, 16<<20)
	cg := livetest.Cgroup(t, "biolatency")
	tool := start(t, "--json", "-c", cg, "-d", loop.Name)
	doIO(t, loop, 20, 0)
	cmd := livetest.Helper(t, "pbxcgwrite", "wait", "writedirect", loop.Path, strconv.Itoa(8<<20), "4096", "3")
	livetest.RunInCgroup(t, cmd, cg)
	s := summaryAtStop(t, tool)
	var n uint64
	for _, h := range s.Histograms {
		n += h.total()
	}
	if n != 3 {
		t.Errorf("-c counted %d requests, want the helper's 3 (and none of the test's 20)", n)
	}
}
