package hist

import (
	"fmt"
	"io"
)

// Column layout of print_log2_hist. Once the last shown slot passes 32 the
// value columns widen to fit 64-bit bounds and the bar halves.
const (
	narrowSlotMax = 32
	barWidth      = 40
)

// PrintLog2 writes vals as print_log2_hist does: slots 0 through the last
// non-zero one, nothing at all when every count is zero. valType labels
// the value column ("usecs"). A non-zero count past slot 63 cannot come
// from a uint64 value; it is an error and nothing is written.
func PrintLog2(w io.Writer, vals []uint64, valType string) error {
	last := lastNonZero(vals)
	if last < 0 {
		return nil
	}
	if last >= MaxLog2Slots {
		return fmt.Errorf("hist: log2 slot %d has a count, slots stop at %d", last, MaxLog2Slots-1)
	}
	_, err := w.Write(appendLog2(nil, vals[:last+1], valType))
	return err
}

// appendLog2 formats slots 0..len(vals)-1; the last one is non-zero.
func appendLog2(b []byte, vals []uint64, valType string) []byte {
	indent, labelWidth, numWidth, bar := 5, 19, 10, barWidth
	if len(vals)-1 > narrowSlotMax {
		indent, labelWidth, numWidth, bar = 15, 29, 20, barWidth/2
	}
	valMax := maxOf(vals)

	// "%*s%-*s : count    distribution\n"
	b = appendSpaces(b, indent)
	b = appendLeft(b, valType, labelWidth)
	b = append(b, " : count    distribution\n"...)

	for i, v := range vals {
		// "%*lld -> %-*lld : %-8d |" stars "|\n"
		low, high := log2Bounds(i)
		b = appendUintRight(b, low, numWidth)
		b = append(b, " -> "...)
		b = appendUintLeft(b, high, numWidth)
		b = append(b, " : "...)
		b = appendUintLeft(b, v, 8)
		b = append(b, " |"...)
		b = appendStars(b, v, valMax, bar)
		b = append(b, "|\n"...)
	}
	return b
}
