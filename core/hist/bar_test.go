package hist

import (
	"math"
	"testing"
)

// The printers always scale against the largest count, so only direct
// calls reach print_stars' truncation '+'.
func TestAppendStars(t *testing.T) {
	tests := []struct {
		name        string
		val, valMax uint64
		width       int
		want        string
	}{
		{"empty", 0, 10, 10, "|          |"},
		{"full", 10, 10, 10, "|**********|"},
		{"rounds down", 19, 20, 10, "|********* |"},
		{"truncated", 25, 10, 10, "|**********+|"},
		{"truncated half bar", 7, 3, 20, "|********************+|"},
		{"no max", 0, 0, 4, "|    |"},
		{"no 64-bit overflow", math.MaxUint64 / 2, math.MaxUint64, 40, "|" + stars(19) + spaces(21) + "|"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := []byte{'|'}
			b = appendStars(b, tt.val, tt.valMax, tt.width)
			if got := string(append(b, '|')); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func stars(n int) string  { return repeat('*', n) }
func spaces(n int) string { return repeat(' ', n) }

func repeat(c byte, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = c
	}
	return string(b)
}
