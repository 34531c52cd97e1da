package irqstat

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/internal/golden"
)

func stat(count, tm uint64, slots map[int]uint64) Stat {
	s := Stat{Count: count, Time: tm}
	for i, n := range slots {
		s.Slots[i] = n
	}
	return s
}

func TestSumAndDeltas(t *testing.T) {
	cpu0 := Raw{Count: 3, Time: 30}
	cpu0.Slots[2] = 3
	cpu1 := Raw{Count: 1, Time: 100}
	cpu1.Slots[6] = 1
	s := Sum([]Raw{cpu0, cpu1})
	if s.Count != 4 || s.Time != 130 || s.Slots[2] != 3 || s.Slots[6] != 1 {
		t.Fatalf("sum %+v", s)
	}
	var d Deltas
	rows := d.Take(map[string]Stat{"b": s, "a": stat(2, 5, nil), "idle": {}}, nil)
	if len(rows) != 2 || rows[0].Name != "a" || rows[1].Name != "b" || rows[1].Count != 4 {
		t.Fatalf("first take %+v", rows)
	}
	s2 := s
	s2.Count, s2.Time, s2.Slots[2] = 10, 190, 9
	rows = d.Take(map[string]Stat{"b": s2, "a": stat(2, 5, nil)}, nil)
	if len(rows) != 1 || rows[0].Name != "b" || rows[0].Count != 6 || rows[0].Time != 60 || rows[0].Slots[2] != 6 || rows[0].Slots[6] != 0 {
		t.Fatalf("second take %+v", rows)
	}
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 11, 25, 13, 4, 5, 0, time.Local)
	hard := []Row{
		{Name: "ahci[0000:00:17.0]", Stat: stat(12, 345, map[int]uint64{4: 10, 7: 2})},
		{Name: "evil\x1b[31m", Stat: stat(1, 2, map[int]uint64{1: 1})},
		{Name: "virtio1-req.0", Stat: stat(1234567, 98765432, map[int]uint64{0: 1, 5: 7})},
	}
	soft := []Row{
		{Name: "timer", Stat: stat(110, 544, map[int]uint64{2: 35, 3: 60})},
		{Name: "net_rx", Stat: stat(5000, 120000, map[int]uint64{4: 4000, 5: 1000})},
	}
	for _, tc := range []struct {
		name string
		f    Format
		rows []Row
	}{
		{"hard_time", Format{Kind: "hardirq", NameWidth: 26}, hard},
		{"hard_count_ts", Format{Kind: "hardirq", NameWidth: 26, CountOnly: true, Timestamp: true}, hard},
		{"hard_dist_ns", Format{Kind: "hardirq", NameWidth: 26, Dist: true, Nanoseconds: true}, hard},
		{"hard_json_count", Format{Kind: "hardirq", NameWidth: 26, CountOnly: true, JSON: true}, hard},
		{"soft_time", Format{Kind: "softirq", NameWidth: 16}, soft},
		{"soft_count", Format{Kind: "softirq", NameWidth: 16, CountColumn: true}, soft},
		{"soft_dist", Format{Kind: "softirq", NameWidth: 16, Dist: true}, soft},
		{"soft_json_dist_ts", Format{Kind: "softirq", NameWidth: 16, Dist: true, JSON: true, Timestamp: true}, soft},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &Printer{F: tc.f, Now: func() time.Time { return fixed }}
			var out bytes.Buffer
			p.Write(&out, tc.rows, []loader.Dropped{{Bounded: loader.Bounded{Map: "stats"}, N: 2}})
			p.Write(&out, nil, nil)
			golden.Check(t, tc.name, out.String())
			if bytes.IndexByte(out.Bytes(), 0x1b) >= 0 {
				t.Error("an escape byte reached the output")
			}
			if tc.f.JSON {
				for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
					var v map[string]any
					if err := json.Unmarshal([]byte(l), &v); err != nil {
						t.Errorf("%q: %v", l, err)
					}
				}
			}
		})
	}
}
