package bitesize

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
)

const wait = 20 * time.Second

func TestMain(m *testing.M) { livetest.Main(m) }

type jsonHist struct {
	Comm    string `json:"comm"`
	Unit    string `json:"unit"`
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

// byLow is the histogram as low bound → count, non-empty buckets only.
func (h jsonHist) byLow() map[uint64]uint64 {
	m := map[uint64]uint64{}
	for _, b := range h.Buckets {
		if b.Count > 0 {
			m[b.Low] = b.Count
		}
	}
	return m
}

func start(t *testing.T, args ...string) *livetest.Tool {
	t.Helper()
	livetest.Require(t)
	tool := livetest.Start(t, Applet, append([]string{"-v"}, args...)...)
	if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("bitesize did not start; stderr:\n%s", strings.Join(tool.Stderr(), "\n"))
	}
	return tool
}

func summaryAtStop(t *testing.T, tool *livetest.Tool) jsonSummary {
	t.Helper()
	if status := tool.Stop(); status != 0 {
		t.Fatalf("exit status %d; stderr:\n%s", status, strings.Join(tool.Stderr(), "\n"))
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

// helperWrites makes the helper process "pbxbite" write count times size
// bytes with O_DIRECT to loop, from off on.
func helperWrites(t *testing.T, loop *livetest.Loop, off, size, count int) {
	t.Helper()
	cmd := livetest.Helper(t, "pbxbite", "writedirect", loop.Path, strconv.Itoa(off), strconv.Itoa(size), strconv.Itoa(count))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("helper: %v %s", err, out)
	}
}

// TestLiveSizes: on every hook candidate, the helper's 4 KiB and 64 KiB
// O_DIRECT writes land in the 4-7 and 64-127 Kbytes buckets of its own
// histogram; -c keeps the test's own I/O on the same disk out, -d the
// rest of the machine's.
func TestLiveSizes(t *testing.T) {
	for _, tc := range []struct{ disable, hook string }{
		{"", "using tp_btf block_rq_insert + tp_btf block_rq_issue"},
		{"tp_btf", "using raw_tracepoint block_rq_insert + raw_tracepoint block_rq_issue"},
		{"tp_btf,raw_tracepoint", "using tracepoint block:block_rq_insert + tracepoint block:block_rq_issue"},
	} {
		t.Run("disable="+tc.disable, func(t *testing.T) {
			if tc.disable != "" && livetest.RerunFresh(t, "PROBEBOX_DISABLE="+tc.disable) {
				return
			}
			t.Setenv("PROBEBOX_DISABLE", tc.disable)
			loop := livetest.LoopDevice(t, 16<<20)
			filtered := start(t, "--json", "-c", "pbxbite", "-d", loop.Name)
			all := start(t, "--json", "-d", loop.Name)
			helperWrites(t, loop, 0, 4096, 4)
			helperWrites(t, loop, 1<<20, 64<<10, 3)
			for i := 0; i < 5; i++ {
				loop.ReadDirect(t, int64(i)<<13, 8192) // the test's own: 8-15
			}
			want := map[uint64]uint64{4: 4, 64: 3}
			s := summaryAtStop(t, filtered)
			if !strings.Contains(strings.Join(filtered.Stderr(), "\n"), tc.hook) {
				t.Errorf("-v does not say %q:\n%s", tc.hook, strings.Join(filtered.Stderr(), "\n"))
			}
			if len(s.Histograms) != 1 || s.Histograms[0].Comm != "pbxbite" || s.Histograms[0].Unit != "Kbytes" {
				t.Fatalf("-c pbxbite: want one Kbytes histogram of pbxbite: %+v", s.Histograms)
			}
			if got := s.Histograms[0].byLow(); !mapsEqual(got, want) {
				t.Errorf("-c pbxbite buckets %v, want %v", got, want)
			}
			if s.NotCounted["hists"] != 0 || s.NotCounted["blk_whos"] != 0 {
				t.Errorf("not_counted %v", s.NotCounted)
			}
			seen := map[string]map[uint64]uint64{}
			for _, h := range summaryAtStop(t, all).Histograms {
				seen[h.Comm] = h.byLow()
			}
			if !mapsEqual(seen["pbxbite"], want) {
				t.Errorf("without -c, pbxbite's buckets %v, want %v (all: %v)", seen["pbxbite"], want, seen)
			}
			if self := seen[livetest.SelfComm(t)]; self[8] < 5 {
				t.Errorf("without -c, the test's own 8 KiB reads: %v, want 5 in the 8 bucket (all: %v)", self, seen)
			}
		})
	}
}

// TestLiveText: "-T 1 1" prints libbpf-tools' layout once and ends.
func TestLiveText(t *testing.T) {
	loop := livetest.LoopDevice(t, 16<<20)
	tool := start(t, "-T", "-c", "pbxbite", "-d", loop.Name, "1", "1")
	helperWrites(t, loop, 0, 16<<10, 2)
	if status, exited := tool.Exited(wait); !exited || status != 0 {
		t.Fatalf("exited %v status %d", exited, status)
	}
	out := strings.Join(tool.Stdout(), "\n")
	for _, want := range []string{
		"Tracing block device I/O... Hit Ctrl-C to end.\n\n",
		"\n\nProcess Name = pbxbite\n     Kbytes              : count    distribution\n",
		"        16 -> 31         : 2        |****************************************|",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func mapsEqual(a, b map[uint64]uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
