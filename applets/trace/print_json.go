package trace

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/probebox/probebox/applets/trace/lang"
)

// -f json prints each output as one JSON object per line, in bpftrace's
// shape: {"type": "printf", "data": "..."}, {"type": "map", "data":
// {"@name": {"key": value}}}, histograms as bucket lists.

// jsonString quotes s as JSON, with bpftrace's ", " and ": " spacing
// left to the callers.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// jsonRecord is one output line of -f json.
func jsonRecord(typ, data string) string {
	return fmt.Sprintf(`{"type": %s, "data": %s}`+"\n", jsonString(typ), data)
}

// jsonKey is a map key as bpftrace writes it in JSON: its parts joined
// by commas.
func jsonKey(m *lang.MapInfo, key []byte, st *stackPrinter) string {
	k := formatKey(m, key, st)
	k = strings.TrimSuffix(strings.TrimPrefix(k, "["), "]")
	return strings.ReplaceAll(k, ", ", ",")
}

// writeMapJSON writes a map's entries (already sorted and cut to top).
func writeMapJSON(w io.Writer, m *lang.MapInfo, entries []*entry, st *stackPrinter) error {
	typ := "map"
	switch m.Agg {
	case lang.AggHist, lang.AggLhist:
		typ = "hist"
	case lang.AggAvg, lang.AggStats:
		typ = "stats"
	}
	value := func(e *entry) string {
		switch m.Agg {
		case lang.AggHist, lang.AggLhist:
			return histJSON(m, e.slots)
		case lang.AggStats:
			return fmt.Sprintf(`{"count": %d, "average": %d, "total": %d}`, e.count, e.value, e.total)
		case lang.AggStr:
			return jsonString(string(e.str))
		case lang.AggVal:
			if m.Value.Kind == lang.KTuple {
				var sym symbolizer
				if st != nil {
					sym = st.sym
				}
				return tupleJSON(m.Value, e.str, sym)
			}
			return jsonString(formatTyped(m.Value, e.str, st, stackIndentValue))
		}
		return fmt.Sprint(e.value)
	}
	var data string
	if len(m.Keys) == 0 {
		v := "null"
		if len(entries) > 0 {
			v = value(entries[0])
		}
		data = fmt.Sprintf("{%s: %s}", jsonString(m.Display()), v)
	} else {
		parts := make([]string, len(entries))
		for i, e := range entries {
			parts[i] = jsonString(jsonKey(m, e.key, st)) + ": " + value(e)
		}
		data = fmt.Sprintf("{%s: {%s}}", jsonString(m.Display()), strings.Join(parts, ", "))
	}
	_, err := io.WriteString(w, jsonRecord(typ, data))
	return err
}

// histJSON lists a histogram's buckets from the lowest to the highest
// that counted anything, each with its bounds.
func histJSON(m *lang.MapInfo, slots map[int64]uint64) string {
	lo, hi := int64(-1), int64(-1)
	for s, v := range slots {
		if v == 0 {
			continue
		}
		if lo < 0 || s < lo {
			lo = s
		}
		hi = max(hi, s)
	}
	var parts []string
	for s := lo; lo >= 0 && s <= hi; s++ {
		parts = append(parts, bucketJSON(m, s, slots[s]))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func bucketJSON(m *lang.MapInfo, s int64, count uint64) string {
	if m.Agg == lang.AggHist {
		switch s {
		case 0:
			return fmt.Sprintf(`{"max": -1, "count": %d}`, count)
		case 1:
			return fmt.Sprintf(`{"min": 0, "max": 0, "count": %d}`, count)
		}
		low := int64(1) << (s - 2)
		return fmt.Sprintf(`{"min": %d, "max": %d, "count": %d}`, low, 2*low-1, count)
	}
	buckets := (m.LhistMax - m.LhistMin) / m.LhistStep
	switch {
	case s == 0:
		return fmt.Sprintf(`{"max": %d, "count": %d}`, m.LhistMin-1, count)
	case s > buckets:
		return fmt.Sprintf(`{"min": %d, "count": %d}`, m.LhistMax, count)
	}
	low := m.LhistMin + (s-1)*m.LhistStep
	return fmt.Sprintf(`{"min": %d, "max": %d, "count": %d}`, low, low+m.LhistStep-1, count)
}
