package llcstat

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/llcstat"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/internal/golden"
)

func TestMain(m *testing.M) { livetest.Main(m) }

func TestLayout(t *testing.T) {
	var k bpfobj.LlcstatLlcstatKey
	var v bpfobj.LlcstatLlcstatValue
	if unsafe.Sizeof(k) != keySize || unsafe.Offsetof(v.Comm) != commOff || unsafe.Sizeof(v) != valueSize {
		t.Fatalf("layout: key %d bytes, comm at %d, value %d bytes", unsafe.Sizeof(k), unsafe.Offsetof(v.Comm), unsafe.Sizeof(v))
	}
}

func mkrow(cpu, pid, tid uint32, ref, miss uint64, comm string) row {
	k, v := make([]byte, keySize), make([]byte, valueSize)
	ne := binary.NativeEndian
	ne.PutUint32(k, cpu)
	ne.PutUint32(k[4:], pid)
	ne.PutUint32(k[8:], tid)
	ne.PutUint64(v, ref)
	ne.PutUint64(v[8:], miss)
	copy(v[commOff:], comm)
	return decode(k, v)
}

func TestFormatGolden(t *testing.T) {
	rows := []row{mkrow(0, 42, 43, 12000, 300, "postgres"), mkrow(1, 7, 7, 100, 0, "evil\x1b[31m"), mkrow(1, 9, 9, 0, 0, "idle")}
	for _, tc := range []struct {
		name string
		cfg  config
	}{{"pid", config{}}, {"tid", config{perThread: true}}, {"json", config{json: true, perThread: true}}} {
		out := format(rows, &tc.cfg, nil)
		golden.Check(t, tc.name, string(out))
		if bytes.IndexByte(out, 0x1b) >= 0 {
			t.Error("an escape byte reached the output")
		}
		if tc.cfg.json {
			var v map[string]any
			if err := json.Unmarshal(out, &v); err != nil {
				t.Error(err)
			}
		}
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"-c", "0"}, {"-d", "0"}, {"-d", "x"}, {"extra"}} {
		tool := livetest.Start(t, Applet, args...)
		if status, ok := tool.Exited(10 * time.Second); !ok || status != 2 {
			t.Errorf("%q: status %d, want 2", args, status)
		}
	}
}

// TestLiveCounters: where the machine has no hardware PMU (this VM, the
// qemu test kernels), one line saying so and exit 1, with nothing
// printed on stdout; with one, a short run prints the totals line.
// TestLiveLoads: the programs pass the verifier here, even where no
// hardware event can run them.
