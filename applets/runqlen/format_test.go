package runqlen

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/runqlen"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var h bpfobj.RunqlenRunqlenHist
	if len(h.Slots) != maxSlots || unsafe.Sizeof(h) != maxSlots*8 {
		t.Fatalf("runqlen_hist: %d slots, %d bytes; decoder assumes %d slots", len(h.Slots), unsafe.Sizeof(h), maxSlots)
	}
}

func slots(m map[int]uint64) []uint64 {
	s := make([]uint64, maxSlots)
	for i, n := range m {
		s[i] = n
	}
	return s
}

func TestDeltas(t *testing.T) {
	first := deltas([][]uint64{slots(map[int]uint64{0: 5}), slots(map[int]uint64{1: 2})}, nil)
	if first[0].slots[0] != 5 || first[1].slots[1] != 2 {
		t.Fatalf("first %+v", first)
	}
	cur := [][]uint64{slots(map[int]uint64{0: 9, 3: 1}), slots(map[int]uint64{1: 2})}
	d := deltas(cur, [][]uint64{slots(map[int]uint64{0: 5}), slots(map[int]uint64{1: 2})})
	if d[0].slots[0] != 4 || d[0].slots[3] != 1 || d[1].samples() != 0 {
		t.Fatalf("deltas %+v", d)
	}
	if occ := d[0].occupancy(); occ != 0.2 {
		t.Errorf("occupancy %v, want 0.2", occ)
	}
	if tot := total(d); tot.samples() != 5 || tot.slots[3] != 1 {
		t.Errorf("total %+v", tot)
	}
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 11, 25, 13, 4, 5, 0, time.Local)
	hs := []cpuHist{
		{cpu: 0, slots: slots(map[int]uint64{0: 80, 1: 15, 3: 4, 31: 1})},
		{cpu: 1, slots: slots(map[int]uint64{0: 99})},
	}
	for _, tc := range []struct {
		name string
		cfg  config
	}{
		{"default", config{}},
		{"cpus_timestamp", config{perCPU: true, timestamp: true}},
		{"occupancy", config{occupancy: true}},
		{"occupancy_cpus", config{occupancy: true, perCPU: true}},
		{"json", config{json: true}},
		{"json_cpus", config{json: true, perCPU: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPrinter(&tc.cfg)
			p.now = func() time.Time { return fixed }
			var out bytes.Buffer
			p.summary(&out, hs, nil)
			p.summary(&out, []cpuHist{{cpu: 0, slots: slots(nil)}, {cpu: 1, slots: slots(nil)}}, nil)
			golden.Check(t, tc.name, out.String())
			if tc.cfg.json {
				for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
					var s jsonSummary
					if err := json.Unmarshal([]byte(l), &s); err != nil {
						t.Errorf("%q: %v", l, err)
					}
				}
			}
		})
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"-f", "0"}, {"-f", "100000"}, {"-f", "x"}, {"0"}, {"1", "0"}, {"1", "2", "3"}} {
		tool := livetest.Start(t, Applet, args...)
		status, exited := tool.Exited(wait)
		if !exited || status != 2 || len(tool.Stderr()) < 1 {
			t.Errorf("%q: exited %v status %d stderr %q, want 2 and a message", args, exited, status, tool.Stderr())
		}
	}
}

func TestHelp(t *testing.T) {
	var b strings.Builder
	Applet.WriteHelp(&b)
	for _, want := range []string{"-C, --cpus", "-O, --runqocc", "-f, --frequency FREQUENCY", "Examples:", "runqlen 1 10"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, b.String())
		}
	}
}
