package hist

import "io"

// PrintLinear writes vals as print_linear_hist does: one row per non-zero
// slot, labelled with its lower bound base+i*step, nothing at all when
// every count is zero. valType labels the value column ("msecs").
func PrintLinear(w io.Writer, vals []uint64, base, step uint64, valType string) error {
	if lastNonZero(vals) < 0 {
		return nil
	}
	_, err := w.Write(appendLinear(nil, vals, base, step, valType))
	return err
}

func appendLinear(b []byte, vals []uint64, base, step uint64, valType string) []byte {
	valMax := maxOf(vals)

	// "     %-13s : count     distribution\n" (five spaces after count,
	// one more than the log2 header)
	b = append(b, "     "...)
	b = appendLeft(b, valType, 13)
	b = append(b, " : count     distribution\n"...)

	for i, v := range vals {
		if v == 0 {
			continue
		}
		// "        %-10d : %-8d |" stars "|\n"
		b = append(b, "        "...)
		b = appendUintLeft(b, base+uint64(i)*step, 10)
		b = append(b, " : "...)
		b = appendUintLeft(b, v, 8)
		b = append(b, " |"...)
		b = appendStars(b, v, valMax, barWidth)
		b = append(b, "|\n"...)
	}
	return b
}
