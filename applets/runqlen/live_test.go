package runqlen

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/internal/schedload"
)

const wait = 30 * time.Second

func TestMain(m *testing.M) { schedload.Main(m) }

type jsonHist struct {
	CPU     *int    `json:"cpu"`
	Samples uint64  `json:"samples"`
	Runqocc float64 `json:"runqocc"`
	Hist    struct {
		Unit    string `json:"unit"`
		Buckets []struct {
			Low, High, Count uint64
		} `json:"buckets"`
	} `json:"hist"`
}

type jsonSummary struct {
	Summary int        `json:"summary"`
	Time    string     `json:"time"`
	All     *jsonHist  `json:"all"`
	CPUs    []jsonHist `json:"cpus"`
}

func runTool(t *testing.T, args ...string) *livetest.Tool {
	t.Helper()
	livetest.Require(t)
	tool := livetest.Start(t, Applet, append([]string{"-v"}, args...)...)
	if status, ok := tool.Exited(wait); !ok || status != 0 {
		t.Fatalf("runqlen %q: exited %v status %d; stderr:\n%s", args, ok, status, strings.Join(tool.Stderr(), "\n"))
	}
	return tool
}

// TestLiveBusyCPU: four threads spinning on CPU 0 keep at least three
// waiting there: CPU 0's histogram (-C) sits at 3 or more, its occupancy
// (-O) is near 100 %, and -f sets the sampling rate. Three runs at once.
func TestLiveBusyCPU(t *testing.T) {
	livetest.Require(t)
	schedload.Spin(t, "rqlenload", 4, 0)
	hist := livetest.Start(t, Applet, "-v", "-C", "--json", "-f", "49", "1", "1")
	occ := livetest.Start(t, Applet, "-C", "-O", "1", "1")
	all := livetest.Start(t, Applet, "--json", "1", "1")
	for _, tool := range []*livetest.Tool{hist, occ, all} {
		if status, ok := tool.Exited(wait); !ok || status != 0 {
			t.Fatalf("exited %v status %d; stderr:\n%s", ok, status, strings.Join(tool.Stderr(), "\n"))
		}
	}
	if !strings.Contains(strings.Join(hist.Stderr(), "\n"), "perf_event cpu-clock at 49 Hz") {
		t.Errorf("-v does not name the sampling: %q", hist.Stderr())
	}
	var s jsonSummary
	if err := json.Unmarshal([]byte(hist.Stdout()[0]), &s); err != nil || len(s.CPUs) == 0 || s.All != nil {
		t.Fatalf("-C --json: %q (%v)", hist.Stdout(), err)
	}
	cpu0 := s.CPUs[0]
	var waiting, samples uint64
	for _, b := range cpu0.Hist.Buckets {
		samples += b.Count
		if b.Low >= 3 {
			waiting += b.Count
		}
	}
	// 49 Hz for about a second; perf adjusts the period as it goes.
	if *cpu0.CPU != 0 || samples != cpu0.Samples || samples < 25 || samples > 100 {
		t.Errorf("CPU 0: %d samples (field %d) at 49 Hz over 1 s", samples, cpu0.Samples)
	}
	if waiting*10 < samples*8 {
		t.Errorf("CPU 0: only %d of %d samples saw 3 or more waiting: %+v", waiting, samples, cpu0.Hist.Buckets)
	}
	var line string
	for _, l := range occ.Stdout() {
		if strings.HasPrefix(l, "runqocc, CPU 0 ") {
			line = l
		}
	}
	pct, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(strings.TrimPrefix(line, "runqocc, CPU 0 ")), "%"), 64)
	if err != nil || pct < 90 {
		t.Errorf("-O -C: CPU 0 line %q, want 90%% or more:\n%s", line, strings.Join(occ.Stdout(), "\n"))
	}
	var a jsonSummary
	if err := json.Unmarshal([]byte(all.Stdout()[0]), &a); err != nil || a.All == nil || a.CPUs != nil {
		t.Fatalf("--json: %q (%v)", all.Stdout(), err)
	}
	if a.All.Samples < 50 || a.All.Runqocc <= 0 {
		t.Errorf("all CPUs: %+v", a.All)
	}
}

// TestLiveText: the default text histogram, two intervals with -T.
func TestLiveText(t *testing.T) {
	schedload.Spin(t, "rqlenload", 3, 0)
	out := runTool(t, "-T", "1", "2").Stdout()
	headers := 0
	for _, l := range out {
		if l == "     runqlen       : count     distribution" {
			headers++
		}
	}
	if out[0] != "Sampling run queue length... Hit Ctrl-C to end." || headers != 2 {
		t.Errorf("want banner and two histograms:\n%s", strings.Join(out, "\n"))
	}
}
