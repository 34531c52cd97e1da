package functest

import (
	"testing"
	"time"
)

func TestFits(t *testing.T) {
	ms := func(lo, hi float64) Tick {
		return Tick{Lo: time.Duration(lo * float64(time.Millisecond)), Hi: time.Duration(hi * float64(time.Millisecond))}
	}
	for _, tc := range []struct {
		name   string
		counts map[uint64]uint64
		ticks  []Tick
		want   bool
	}{
		{"exact", map[uint64]uint64{8: 2, 16: 1}, []Tick{ms(10, 11), ms(12, 13), ms(20, 21)}, true},
		{"edge either side", map[uint64]uint64{8: 1, 16: 1}, []Tick{ms(15.5, 16.5), ms(15.2, 16.1)}, true},
		{"edge both above", map[uint64]uint64{16: 2}, []Tick{ms(15.5, 16.5), ms(15.2, 16.1)}, true},
		// the span reaching 16 must take the 16 slot, the other the 8
		{"greedy order", map[uint64]uint64{8: 1, 16: 1}, []Tick{ms(10, 11), ms(15, 17)}, true},
		{"outside every span", map[uint64]uint64{8: 1, 32: 1}, []Tick{ms(10, 11), ms(20, 21)}, false},
		{"one bucket too full", map[uint64]uint64{8: 3}, []Tick{ms(10, 11), ms(12, 13), ms(20, 21)}, false},
	} {
		if got := Fits(tc.counts, tc.ticks, time.Millisecond); got != tc.want {
			t.Errorf("%s: Fits = %v, want %v", tc.name, got, tc.want)
		}
	}
}
