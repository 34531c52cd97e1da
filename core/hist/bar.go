package hist

import (
	"math/bits"
	"strconv"
)

// appendStars appends a bar of width cells: val/valMax of them '*', the
// rest ' ', and a '+' when val exceeds valMax (print_stars in C).
func appendStars(b []byte, val, valMax uint64, width int) []byte {
	stars := 0
	if valMax > 0 {
		// 128-bit product: val*width can pass 64 bits; the quotient fits
		// since min(val, valMax) <= valMax.
		hi, lo := bits.Mul64(min(val, valMax), uint64(width))
		q, _ := bits.Div64(hi, lo, valMax)
		stars = int(q)
	}
	for i := 0; i < width; i++ {
		if i < stars {
			b = append(b, '*')
		} else {
			b = append(b, ' ')
		}
	}
	if val > valMax {
		b = append(b, '+')
	}
	return b
}

// appendSpaces appends n spaces (none when n <= 0).
func appendSpaces(b []byte, n int) []byte {
	for ; n > 0; n-- {
		b = append(b, ' ')
	}
	return b
}

// appendLeft is printf's "%-*s": s, then spaces up to width.
func appendLeft(b []byte, s string, width int) []byte {
	b = append(b, s...)
	return appendSpaces(b, width-len(s))
}

// appendUintRight is printf's "%*llu".
func appendUintRight(b []byte, v uint64, width int) []byte {
	var num [20]byte
	digits := strconv.AppendUint(num[:0], v, 10)
	b = appendSpaces(b, width-len(digits))
	return append(b, digits...)
}

// appendUintLeft is printf's "%-*llu".
func appendUintLeft(b []byte, v uint64, width int) []byte {
	var num [20]byte
	digits := strconv.AppendUint(num[:0], v, 10)
	b = append(b, digits...)
	return appendSpaces(b, width-len(digits))
}
