package exporter

import (
	"cmp"
	"slices"
)

// otherLabel takes the counts of label values past the cap.
const otherLabel = "other"

// boundedLabel keeps at most max values of one label. The first values
// seen (the largest first, within one scrape) keep their own series for
// the life of the process; every later value is counted under "other".
// Once kept a value stays kept, so each series, "other" included, is a
// counter that only grows.
type boundedLabel struct {
	max  int
	kept map[string]bool
}

func newBoundedLabel(max int) *boundedLabel {
	return &boundedLabel{max: max, kept: map[string]bool{}}
}

// value returns v, or "other" when v is past the cap.
func (b *boundedLabel) value(v string) string {
	if b.kept[v] {
		return v
	}
	if len(b.kept) < b.max {
		b.kept[v] = true
		return v
	}
	return otherLabel
}

// labelCount is one label value and its count, before bounding.
type labelCount struct {
	value string
	n     uint64
}

// bound merges counts by label value, admitting new values largest first,
// and returns the bounded counts sorted by value.
func (b *boundedLabel) bound(in []labelCount) []labelCount {
	slices.SortFunc(in, func(x, y labelCount) int {
		if c := cmp.Compare(y.n, x.n); c != 0 {
			return c
		}
		return cmp.Compare(x.value, y.value)
	})
	sums := map[string]uint64{}
	for _, c := range in {
		sums[b.value(c.value)] += c.n
	}
	out := make([]labelCount, 0, len(sums))
	for v, n := range sums {
		out = append(out, labelCount{v, n})
	}
	slices.SortFunc(out, func(x, y labelCount) int { return cmp.Compare(x.value, y.value) })
	return out
}
