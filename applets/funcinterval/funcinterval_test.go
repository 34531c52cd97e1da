package funcinterval

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/funcinterval"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/internal/functest"
	"github.com/probebox/probebox/internal/golden"
)

const wait = 30 * time.Second

func TestMain(m *testing.M) { functest.Main(m) }

func TestLayout(t *testing.T) {
	var h bpfobj.FuncintervalFuncintHist
	if len(h.Slots) != maxSlots || unsafe.Sizeof(h) != maxSlots*8 {
		t.Fatalf("funcint_hist: %d slots", len(h.Slots))
	}
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 11, 25, 13, 4, 5, 0, time.Local)
	slots := make([]uint64, maxSlots)
	slots[3], slots[4] = 90, 9
	for _, tc := range []struct {
		name string
		cfg  config
	}{{"msecs", config{unitNS: 1000000}}, {"nsecs_timestamp", config{unitNS: 1, timestamp: true}}, {"json", config{unitNS: 1000, json: true, timestamp: true}}} {
		var out bytes.Buffer
		write(&out, slots, &tc.cfg, 1, fixed)
		write(&out, make([]uint64, maxSlots), &tc.cfg, 2, fixed)
		golden.Check(t, tc.name, out.String())
		if tc.cfg.json {
			for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
				var v map[string]any
				if err := json.Unmarshal([]byte(l), &v); err != nil {
					t.Errorf("%q: %v", l, err)
				}
			}
		}
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{}, {"a", "b"}, {"-u", "-m", "vfs_read"}, {"-p", "0", "vfs_read"}, {"-d", "0", "vfs_read"}, {"a:b:c:d"}} {
		tool := livetest.Start(t, Applet, args...)
		status, exited := tool.Exited(wait)
		if !exited || status != 2 || len(tool.Stderr()) != 1 {
			t.Errorf("%q: exited %v status %d stderr %q, want 2 and one line", args, exited, status, tool.Stderr())
		}
	}
}
