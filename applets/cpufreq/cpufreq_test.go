package cpufreq

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
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
// TestLiveSeeded runs the sampling path on a machine without cpufreq:
// the frequencies the tool seeds from a stand-in sysfs are what the
// samples find, so the system-wide histogram and the test's own process
// (busy meanwhile) show 2400 MHz.
