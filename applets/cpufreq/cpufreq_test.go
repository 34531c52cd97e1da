package cpufreq

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/cpufreq"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/internal/golden"
)

func TestMain(m *testing.M) { livetest.Main(m) }

func TestLayout(t *testing.T) {
	var h bpfobj.CpufreqCpufreqHist
	var k bpfobj.CpufreqCpufreqKey
	if len(h.Slots) != maxSlots || unsafe.Sizeof(h) != maxSlots*8 || len(k.Comm) != commLen {
		t.Fatalf("layout: %d slots, %d-byte comm", len(h.Slots), len(k.Comm))
	}
}

func TestFormatGolden(t *testing.T) {
	sys := make([]uint64, maxSlots)
	sys[12], sys[14] = 80, 19
	proc := make([]uint64, maxSlots)
	proc[14] = 7
	es := []entry{{slots: sys}, {name: []byte("evil\x1b[31m"), slots: proc}, {name: []byte("sh"), slots: sys}}
	for _, js := range []bool{false, true} {
		var out bytes.Buffer
		write(&out, es, []loader.Dropped{{Bounded: loader.Bounded{Map: "hists"}, N: 1}}, js)
		name := map[bool]string{false: "text", true: "json"}[js]
		golden.Check(t, name, out.String())
		if bytes.IndexByte(out.Bytes(), 0x1b) >= 0 {
			t.Error("an escape byte reached the output")
		}
		if js {
			var v map[string]any
			if err := json.Unmarshal(out.Bytes(), &v); err != nil {
				t.Error(err)
			}
		}
	}
}

func TestCurrentMHz(t *testing.T) {
	dir := t.TempDir()
	old := sysfsCPU
	sysfsCPU = dir
	t.Cleanup(func() { sysfsCPU = old })
	if _, err := currentMHz(2); err != errNoCpufreq {
		t.Fatalf("no cpufreq: %v", err)
	}
	os.MkdirAll(filepath.Join(dir, "cpu1", "cpufreq"), 0o755)
	os.WriteFile(filepath.Join(dir, "cpu1", "cpufreq", "scaling_cur_freq"), []byte("2400000\n"), 0o644)
	if f, err := currentMHz(2); err != nil || f[0] != 0 || f[1] != 2400 {
		t.Fatalf("got %v %v", f, err)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"-d", "0"}, {"-f", "0"}, {"-f", "x"}} {
		tool := livetest.Start(t, Applet, args...)
		if status, ok := tool.Exited(10 * time.Second); !ok || status != 2 {
			t.Errorf("%q: status %d, want 2", args, status)
		}
	}
}

// TestLiveNoCpufreq: where the machine has no cpufreq driver (this VM and
// the test kernels' qemu guests), one line saying so and exit 1, before
// anything is loaded. Where it has one, a short run samples.
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

// TestLiveSeeded runs the sampling path on a machine without cpufreq:
// the frequencies the tool seeds from a stand-in sysfs are what the
// samples find, so the system-wide histogram and the test's own process
// (busy meanwhile) show 2400 MHz.
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
