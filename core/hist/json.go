package hist

import (
	"encoding/json"
	"strconv"
)

// AppendLog2JSON appends one object holding the slots PrintLog2 shows,
// empty ones between included:
//
//	{"unit":"usecs","buckets":[{"low":0,"high":1,"count":3},...]}
//
// Slots past 63 are left out: no uint64 value falls in them.
func AppendLog2JSON(dst []byte, vals []uint64, unit string) []byte {
	if len(vals) > MaxLog2Slots {
		vals = vals[:MaxLog2Slots]
	}
	dst = appendJSONHead(dst, unit)
	for i := 0; i <= lastNonZero(vals); i++ {
		low, high := log2Bounds(i)
		dst = appendJSONBucket(dst, i > 0, low, high, vals[i])
	}
	return append(dst, "]}"...)
}

// AppendLinearJSON appends one object holding the rows PrintLinear shows,
// the non-zero slots, each spanning base+i*step to base+(i+1)*step-1.
func AppendLinearJSON(dst []byte, vals []uint64, base, step uint64, unit string) []byte {
	dst = appendJSONHead(dst, unit)
	first := true
	for i, v := range vals {
		if v == 0 {
			continue
		}
		low := base + uint64(i)*step
		high := low
		if step > 0 {
			high = low + step - 1
		}
		dst = appendJSONBucket(dst, !first, low, high, v)
		first = false
	}
	return append(dst, "]}"...)
}

func appendJSONHead(dst []byte, unit string) []byte {
	// json.Marshal of a string cannot fail; it also makes invalid UTF-8 valid.
	quoted, _ := json.Marshal(unit)
	dst = append(dst, `{"unit":`...)
	dst = append(dst, quoted...)
	return append(dst, `,"buckets":[`...)
}

func appendJSONBucket(dst []byte, comma bool, low, high, count uint64) []byte {
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
