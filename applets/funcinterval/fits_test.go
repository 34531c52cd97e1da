package funcinterval

import (
	"testing"
	"time"

	"github.com/probebox/probebox/internal/functest"
)

func TestFits(t *testing.T) {
	ms := func(lo, hi float64) functest.Tick {
		return functest.Tick{Lo: time.Duration(lo * float64(time.Millisecond)), Hi: time.Duration(hi * float64(time.Millisecond))}
	}
	for _, tc := range []struct {
		name   string
		counts map[uint64]uint64
		ticks  []functest.Tick
		want   bool
	}{
		{"exact", map[uint64]uint64{8: 2, 16: 1}, []functest.Tick{ms(10, 11), ms(12, 13), ms(20, 21)}, true},
		{"edge either side", map[uint64]uint64{8: 1, 16: 1}, []functest.Tick{ms(15.5, 16.5), ms(15.2, 16.1)}, true},
		{"edge both above", map[uint64]uint64{16: 2}, []functest.Tick{ms(15.5, 16.5), ms(15.2, 16.1)}, true},
		// the span reaching 16 must take the 16 slot, the other the 8
		{"greedy order", map[uint64]uint64{8: 1, 16: 1}, []functest.Tick{ms(10, 11), ms(15, 17)}, true},
		{"outside every span", map[uint64]uint64{8: 1, 32: 1}, []functest.Tick{ms(10, 11), ms(20, 21)}, false},
		{"one bucket too full", map[uint64]uint64{8: 3}, []functest.Tick{ms(10, 11), ms(12, 13), ms(20, 21)}, false},
	} {
		if got := fits(tc.counts, tc.ticks); got != tc.want {
			t.Errorf("%s: fits = %v, want %v", tc.name, got, tc.want)
		}
	}
}
