package cpufreq

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
)

func TestLiveNoCpufreq(t *testing.T) {
	livetest.Require(t)
	matches, _ := filepath.Glob("/sys/devices/system/cpu/cpu*/cpufreq/scaling_cur_freq")
	tool := livetest.Start(t, Applet, "-d", "1")
	status, ok := tool.Exited(30 * time.Second)
	if !ok {
		t.Fatal("cpufreq -d 1 did not end")
	}
	if len(matches) > 0 {
		if status != 0 || !strings.Contains(strings.Join(tool.Stdout(), "\n"), "syswide") {
			t.Errorf("with cpufreq: status %d, stdout %q", status, tool.Stdout())
		}
		return
	}
	errs := tool.Stderr()
	if status != 1 || len(errs) != 1 || !strings.Contains(errs[0], "exposes no CPU frequency") || len(tool.Stdout()) != 0 {
		t.Errorf("status %d, stderr %q, stdout %q: want exit 1 and one line", status, errs, tool.Stdout())
	}
}

func TestLiveSeeded(t *testing.T) {
	livetest.Require(t)
	dir := t.TempDir()
	for cpu := range 64 {
		d := filepath.Join(dir, "cpu"+strconv.Itoa(cpu), "cpufreq")
		os.MkdirAll(d, 0o755)
		os.WriteFile(filepath.Join(d, "scaling_cur_freq"), []byte("2400000\n"), 0o644)
	}
	old := sysfsCPU
	sysfsCPU = dir
	t.Cleanup(func() { sysfsCPU = old })
	tool := livetest.Start(t, Applet, "-v", "--json", "-d", "2")
	if _, ok := tool.WaitStderr(t, 30*time.Second, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("did not start: %q", tool.Stderr())
	}
	for end := time.Now().Add(1500 * time.Millisecond); time.Now().Before(end); {
	}
	status, ok := tool.Exited(30 * time.Second)
	if !ok || status != 0 {
		t.Fatalf("status %d; stderr %q", status, tool.Stderr())
	}
	var s struct {
		Syswide   jsonHist `json:"syswide"`
		Processes []struct {
			Comm string   `json:"comm"`
			Hist jsonHist `json:"hist"`
		} `json:"processes"`
	}
	if err := json.Unmarshal([]byte(strings.Join(tool.Stdout(), "")), &s); err != nil {
		t.Fatalf("%q: %v", tool.Stdout(), err)
	}
	if len(s.Syswide.Buckets) != 1 || s.Syswide.Buckets[0].Low != 2400 || s.Syswide.Buckets[0].Count < 20 {
		t.Errorf("syswide %+v: want samples at 2400 MHz only", s.Syswide)
	}
	self := filepath.Base(os.Args[0])
	if len(self) > 15 {
		self = self[:15]
	}
	found := false
	for _, p := range s.Processes {
		if p.Comm == self && len(p.Hist.Buckets) == 1 && p.Hist.Buckets[0].Low == 2400 {
			found = true
		}
	}
	if !found {
		t.Errorf("no 2400 MHz histogram for %q: %+v", self, s.Processes)
	}
}

type jsonHist struct {
	Unit    string `json:"unit"`
	Buckets []struct {
		Low, High, Count uint64
	} `json:"buckets"`
}
