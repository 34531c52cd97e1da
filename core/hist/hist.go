// Package hist prints histograms as libbpf-tools' print_log2_hist and
// print_linear_hist do, byte for byte, and as JSON. Slot i of a log2
// histogram counts values in [2^i, 2^(i+1)) (slot 0: 0 and 1), as the BPF
// side's log2 (bpfobj/include/bits.bpf.h) fills it.
package hist

import (
	"bufio"
	"io"
	"math/bits"
	"strconv"
)

const starsMax = 40

// Log2Slot is the slot a value falls in.
func Log2Slot(v uint64) int {
	if v == 0 {
		return 0
	}
	return bits.Len64(v) - 1
}

// appendStars writes the bar: val scaled to width against max.
func appendStars(b []byte, val, max uint64, width int) []byte {
	n := int(min(val, max) * uint64(width) / max)
	for i := 0; i < width; i++ {
		if i < n {
			b = append(b, '*')
		} else {
			b = append(b, ' ')
		}
	}
	if val > max {
		b = append(b, '+')
	}
	return b
}

func padLeft(b []byte, s string, width int) []byte {
	for i := len(s); i < width; i++ {
		b = append(b, ' ')
	}
	return append(b, s...)
}

func padRight(b []byte, s string, width int) []byte {
	b = append(b, s...)
	for i := len(s); i < width; i++ {
		b = append(b, ' ')
	}
	return b
}

// PrintLog2 prints a power-of-two histogram, or nothing when it is empty.
func PrintLog2(w io.Writer, vals []uint64, valType string) error {
	idxMax := -1
	var valMax uint64
	for i, v := range vals {
		if v > 0 {
			idxMax = i
		}
		valMax = max(valMax, v)
	}
	if idxMax < 0 {
		return nil
	}
	// Wide columns once the values pass 32 bits.
	pad, typeWidth, stars, width := 5, 19, starsMax, 10
	if idxMax > 32 {
		pad, typeWidth, stars, width = 15, 29, starsMax/2, 20
	}
	bw := bufio.NewWriter(w)
	var b []byte
	b = padLeft(b, "", pad)
	b = padRight(b, valType, typeWidth)
	b = append(b, " : count    distribution\n"...)
	for i := 0; i <= idxMax; i++ {
		low := (uint64(1) << (i + 1)) >> 1
		high := (uint64(1) << (i + 1)) - 1
		if i == 63 {
			low, high = 1<<63, ^uint64(0)
		}
		if low == high {
			low--
		}
		b = padLeft(b, strconv.FormatUint(low, 10), width)
		b = append(b, " -> "...)
		b = padRight(b, strconv.FormatUint(high, 10), width)
		b = append(b, " : "...)
		b = padRight(b, strconv.FormatUint(vals[i], 10), 8)
		b = append(b, " |"...)
		b = appendStars(b, vals[i], valMax, stars)
		b = append(b, "|\n"...)
	}
	bw.Write(b)
	return bw.Flush()
}

// PrintLinear prints a histogram with slots base + i*step, skipping
// empty slots, or nothing when it is empty.
func PrintLinear(w io.Writer, vals []uint64, base, step uint64, valType string) error {
	idxMin, idxMax := -1, -1
	var valMax uint64
	for i, v := range vals {
		if v > 0 {
			idxMax = i
			if idxMin < 0 {
				idxMin = i
			}
		}
		valMax = max(valMax, v)
	}
	if idxMax < 0 {
		return nil
	}
	var b []byte
	b = append(b, "     "...)
	b = padRight(b, valType, 13)
	b = append(b, " : count     distribution\n"...)
	for i := idxMin; i <= idxMax; i++ {
		if vals[i] == 0 {
			continue
		}
		b = append(b, "        "...)
		b = padRight(b, strconv.FormatUint(base+uint64(i)*step, 10), 10)
		b = append(b, " : "...)
		b = padRight(b, strconv.FormatUint(vals[i], 10), 8)
		b = append(b, " |"...)
		b = appendStars(b, vals[i], valMax, starsMax)
		b = append(b, "|\n"...)
	}
	_, err := w.Write(b)
	return err
}

// AppendLog2JSON writes {"unit":"usecs","buckets":[{"low":0,"high":1,"count":3},...]}
// over the slots the text printer shows.
func AppendLog2JSON(dst []byte, vals []uint64, unit string) []byte {
	idxMax := -1
	for i, v := range vals {
		if v > 0 {
			idxMax = i
		}
	}
	dst = appendHead(dst, unit)
	for i := 0; i <= idxMax; i++ {
		low := (uint64(1) << (i + 1)) >> 1
		high := (uint64(1) << (i + 1)) - 1
		if low == high {
			low--
		}
		dst = appendBucket(dst, i > 0, low, high, vals[i])
	}
	return append(dst, "]}"...)
}

// AppendLinearJSON is AppendLog2JSON for linear histograms: the non-empty
// slots, each [low, low+step-1].
func AppendLinearJSON(dst []byte, vals []uint64, base, step uint64, unit string) []byte {
	dst = appendHead(dst, unit)
	first := true
	for i, v := range vals {
		if v == 0 {
			continue
		}
		low := base + uint64(i)*step
		dst = appendBucket(dst, !first, low, low+step-1, v)
		first = false
	}
	return append(dst, "]}"...)
}

func appendHead(dst []byte, unit string) []byte {
	dst = append(dst, `{"unit":`...)
	dst = strconv.AppendQuote(dst, unit)
	return append(dst, `,"buckets":[`...)
}

func appendBucket(dst []byte, comma bool, low, high, count uint64) []byte {
	if comma {
		dst = append(dst, ',')
	}
	dst = append(dst, `{"low":`...)
	dst = strconv.AppendUint(dst, low, 10)
	dst = append(dst, `,"high":`...)
	dst = strconv.AppendUint(dst, high, 10)
	dst = append(dst, `,"count":`...)
	dst = strconv.AppendUint(dst, count, 10)
	return append(dst, '}')
}
