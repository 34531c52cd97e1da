package exporter

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

func TestPow2HistWrite(t *testing.T) {
	desc := prometheus.NewDesc("x_seconds", "x", []string{"device"}, nil)
	tests := []struct {
		name      string
		slots     []uint64
		top0      int
		les       []float64
		cums      []uint64
		zero      uint64
		spanStart int32
		deltas    []int64
	}{
		{
			name:  "latency slots",
			slots: []uint64{1, 0, 3, 2, 0},
			top0:  -19,
			// slot i's bound is 2^(i-19) s; the last slot is only +Inf.
			les:       []float64{1.0 / (1 << 19), 1.0 / (1 << 18), 1.0 / (1 << 17), 1.0 / (1 << 16)},
			cums:      []uint64{1, 1, 4, 6},
			zero:      1,
			spanStart: -17, // slot 2 = native bucket (2^-18, 2^-17]
			deltas:    []int64{3, -1},
		},
		{
			name:      "byte slots, catch-all last",
			slots:     []uint64{0, 0, 0, 5, 0, 7},
			top0:      0,
			les:       []float64{1, 2, 4, 8, 16},
			cums:      []uint64{0, 0, 0, 5, 5},
			spanStart: 3,
			deltas:    []int64{5, -5, 7},
		},
		{
			name:  "empty",
			slots: []uint64{0, 0, 0},
			les:   []float64{1, 2},
			cums:  []uint64{0, 0},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var m dto.Metric
			h := &pow2Hist{desc: desc, labels: []string{"loop0"}, slots: tc.slots, top0: tc.top0, sum: 1.5}
			if err := h.Write(&m); err != nil {
				t.Fatal(err)
			}
			hist := m.GetHistogram()
			var count uint64
			for _, n := range tc.slots {
				count += n
			}
			if hist.GetSampleCount() != count || hist.GetSampleSum() != 1.5 {
				t.Errorf("count %d sum %v", hist.GetSampleCount(), hist.GetSampleSum())
			}
			if len(hist.Bucket) != len(tc.les) {
				t.Fatalf("%d classic buckets, want %d", len(hist.Bucket), len(tc.les))
			}
			for i, b := range hist.Bucket {
				if b.GetUpperBound() != tc.les[i] || b.GetCumulativeCount() != tc.cums[i] {
					t.Errorf("bucket %d: le %v count %d, want le %v count %d", i, b.GetUpperBound(), b.GetCumulativeCount(), tc.les[i], tc.cums[i])
				}
			}
			if hist.GetSchema() != 0 || hist.GetZeroCount() != tc.zero || hist.GetZeroThreshold() != tc.les[0] {
				t.Errorf("schema %d zero count %d threshold %v", hist.GetSchema(), hist.GetZeroCount(), hist.GetZeroThreshold())
			}
			if len(hist.PositiveSpan) != 1 {
				t.Fatalf("spans %v", hist.PositiveSpan)
			}
			sp := hist.PositiveSpan[0]
			if int(sp.GetLength()) != len(tc.deltas) || (len(tc.deltas) > 0 && sp.GetOffset() != tc.spanStart) {
				t.Errorf("span offset %d length %d, want %d %d", sp.GetOffset(), sp.GetLength(), tc.spanStart, len(tc.deltas))
			}
			if len(hist.PositiveDelta) != len(tc.deltas) {
				t.Fatalf("deltas %v, want %v", hist.PositiveDelta, tc.deltas)
			}
			for i := range tc.deltas {
				if hist.PositiveDelta[i] != tc.deltas[i] {
					t.Errorf("deltas %v, want %v", hist.PositiveDelta, tc.deltas)
				}
			}
			if len(m.Label) != 1 || m.Label[0].GetValue() != "loop0" {
				t.Errorf("labels %v", m.Label)
			}
		})
	}
}
