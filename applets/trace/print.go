package trace

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/cilium/ebpf"

	"github.com/probebox/probebox/applets/trace/lang"
	"github.com/probebox/probebox/core/output"
)

// entry is one map element with its value summed over CPUs.
type entry struct {
	key   []byte
	value int64 // count, sum, min, max, int; avg: the average
	count int64 // avg/stats: how many values
	total int64 // stats: the sum
	str   []byte
	slots map[int64]uint64 // hist/lhist
}

// readMap collects a map's entries; histogram slots are folded into their key.
// kept: zero() kept a scalar array's element, which then exists although
// all zeros.
func readMap(m *lang.MapInfo, bm *ebpf.Map, kept bool) ([]*entry, error) {
	byKey := map[string]*entry{}
	var order []*entry
	keySize := m.KeySize()
	isHist := m.Agg == lang.AggHist || m.Agg == lang.AggLhist
	key := make([]byte, keySize)
	it := bm.Iterate()
	var perCPU []uint64
	var perCPUPair [][2]uint64
	var plain []byte
	for {
		var ok bool
		switch {
		case !m.PerCPU():
			plain = make([]byte, m.ValueSize())
			ok = it.Next(&key, &plain)
		case m.ValueSize() == 16:
			ok = it.Next(&key, &perCPUPair)
		default:
			ok = it.Next(&key, &perCPU)
		}
		if !ok {
			break
		}
		if m.IsArray() && !kept && allZero(perCPU, perCPUPair) {
			continue // never set, or cleared: no element, as with a hash
		}
		k := key
		if isHist {
			k = key[:keySize-8]
		}
		e := byKey[string(k)]
		if e == nil {
			e = &entry{key: bytes.Clone(k), slots: map[int64]uint64{}}
			byKey[string(k)] = e
			order = append(order, e)
		}
		switch m.Agg {
		case lang.AggStr:
			e.str = cstr(plain)
		case lang.AggVal:
			e.str = plain
		case lang.AggInt:
			e.value = int64(binary.NativeEndian.Uint64(plain))
		case lang.AggCount, lang.AggSum:
			for _, v := range perCPU {
				e.value += int64(v)
			}
		case lang.AggHist, lang.AggLhist:
			slot := int64(binary.NativeEndian.Uint64(key[keySize-8:]))
			for _, v := range perCPU {
				e.slots[slot] += v
			}
		case lang.AggAvg, lang.AggStats:
			for _, v := range perCPUPair {
				e.total += int64(v[0])
				e.count += int64(v[1])
			}
			if e.count > 0 {
				e.value = e.total / e.count
			}
		case lang.AggMin, lang.AggMax:
			set := false
			for _, v := range perCPUPair {
				if v[1] == 0 {
					continue
				}
				x := int64(v[0])
				if !set || (m.Agg == lang.AggMin && x < e.value) || (m.Agg == lang.AggMax && x > e.value) {
					e.value, set = x, true
				}
			}
		}
	}
	return order, it.Err()
}

func allZero(words []uint64, pairs [][2]uint64) bool {
	for _, w := range words {
		if w != 0 {
			return false
		}
	}
	for _, p := range pairs {
		if p != [2]uint64{} {
			return false
		}
	}
	return true
}

func cstr(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

// stackPrinter symbolizes stack keys.
type stackPrinter struct {
	maps map[string]*ebpf.Map // the stack maps, by name
	sym  symbolizer
	json bool // -f json: maps print as JSON records
}

func (st *stackPrinter) format(t lang.Type, raw uint64, indent int) string {
	if st == nil || st.sym == nil {
		return fmt.Sprintf("stack %#x", raw)
	}
	return formatStack(func(name string) *ebpf.Map { return st.maps[name] }, st.sym, t, raw, indent)
}

// printMap writes a map as bpftrace prints it at exit or with print().
func printMap(w io.Writer, m *lang.MapInfo, bm *ebpf.Map, st *stackPrinter, kept bool) error {
	return printMapTop(w, m, bm, st, kept, 0, 0)
}

// printMapTop is print(@map, top, div): only the top entries, values
// divided by div (0: all, undivided).
func printMapTop(w io.Writer, m *lang.MapInfo, bm *ebpf.Map, st *stackPrinter, kept bool, top, div int) error {
	entries, err := readMap(m, bm, kept)
	if err != nil {
		return fmt.Errorf("reading %s: %w", m.Display(), err)
	}
	isHist := m.Agg == lang.AggHist || m.Agg == lang.AggLhist
	if len(entries) == 0 {
		// What bpftrace 0.17 prints for a map with nothing in it: a
		// key-less count() as 0 (its per-CPU slot always exists), avg()
		// and stats() as two empty lines, anything else as one.
		switch {
		case len(m.Keys) == 0 && m.Agg == lang.AggCount:
			fmt.Fprintf(w, "%s: 0\n", m.Display())
		case m.Agg == lang.AggAvg || m.Agg == lang.AggStats:
			io.WriteString(w, "\n\n")
		default:
			io.WriteString(w, "\n")
		}
		return nil
	}
	sort.SliceStable(entries, func(i, j int) bool {
		a, b := entries[i], entries[j]
		av, bv := a.value, b.value
		if isHist {
			av, bv = sumSlots(a), sumSlots(b)
		}
		if av != bv {
			return av < bv
		}
		return bytes.Compare(a.key, b.key) < 0
	})
	if top > 0 && len(entries) > top {
		entries = entries[len(entries)-top:]
	}
	if div > 1 {
		for _, e := range entries {
			e.value /= int64(div)
			e.total /= int64(div)
			for s, v := range e.slots {
				e.slots[s] = v / uint64(div)
			}
		}
	}
	if st != nil && st.json {
		return writeMapJSON(w, m, entries, st)
	}
	var b strings.Builder
	for _, e := range entries {
		name := m.Display() + formatKey(m, e.key, st)
		switch m.Agg {
		case lang.AggHist:
			fmt.Fprintf(&b, "%s: \n", name)
			writeLog2(&b, e.slots)
			b.WriteString("\n")
		case lang.AggLhist:
			fmt.Fprintf(&b, "%s: \n", name)
			writeLinear(&b, e.slots, m)
			b.WriteString("\n")
		case lang.AggStats:
			fmt.Fprintf(&b, "%s: count %d, average %d, total %d\n", name, e.count, e.value, e.total)
		case lang.AggStr:
			fmt.Fprintf(&b, "%s: %s\n", name, output.AppendEscaped(nil, e.str))
		case lang.AggVal:
			fmt.Fprintf(&b, "%s: %s\n", name, formatTyped(m.Value, e.str, st, stackIndentValue))
		default:
			fmt.Fprintf(&b, "%s: %d\n", name, e.value)
		}
	}
	if m.Agg == lang.AggAvg || m.Agg == lang.AggStats {
		b.WriteString("\n")
	}
	_, err = io.WriteString(w, b.String())
	return err
}

func sumSlots(e *entry) int64 {
	var n int64
	for _, v := range e.slots {
		n += int64(v)
	}
	return n
}

// formatKey renders "[k1, k2]" from packed key bytes; "" for scalars.
func formatKey(m *lang.MapInfo, key []byte, st *stackPrinter) string {
	if len(m.Keys) == 0 {
		return ""
	}
	parts := make([]string, len(m.Keys))
	off := 0
	for i, t := range m.Keys {
		raw := key[off : off+t.Size]
		off += t.Size
		parts[i] = formatPart(t, raw, func(t lang.Type, raw []byte) string { return formatTyped(t, raw, st, stackIndentKey) })
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// formatTyped renders a stack, symbol or address key or value.
func formatTyped(t lang.Type, raw []byte, st *stackPrinter, indent int) string {
	if t.Kind == lang.KKstack || t.Kind == lang.KUstack {
		return st.format(t, binary.NativeEndian.Uint64(raw), indent)
	}
	var sym symbolizer
	if st != nil {
		sym = st.sym
	}
	return formatValue(t, raw, sym)
}

const barWidth = 52

func writeBuckets(b *strings.Builder, slots map[int64]uint64, label func(int64) string) {
	lo, hi := int64(-1), int64(-1)
	var top uint64
	for s, v := range slots {
		if v == 0 {
			continue
		}
		if lo < 0 || s < lo {
			lo = s
		}
		if s > hi {
			hi = s
		}
		top = max(top, v)
	}
	if lo < 0 {
		return
	}
	for s := lo; s <= hi; s++ {
		v := slots[s]
		n := int(float64(v) / float64(top) * barWidth)
		fmt.Fprintf(b, "%-16s%8d |%s%s|\n", label(s), v, strings.Repeat("@", n), strings.Repeat(" ", barWidth-n))
	}
}

// writeLog2 prints a hist(): slot 0 negatives, 1 zero, 2 one, then powers of 2.
func writeLog2(b *strings.Builder, slots map[int64]uint64) {
	writeBuckets(b, slots, func(s int64) string {
		switch s {
		case 0:
			return "(..., 0)"
		case 1:
			return "[0]"
		case 2:
			return "[1]"
		}
		low := int64(1) << (s - 2)
		return fmt.Sprintf("[%s, %s)", sizeLabel(low), sizeLabel(low*2))
	})
}

func writeLinear(b *strings.Builder, slots map[int64]uint64, m *lang.MapInfo) {
	buckets := (m.LhistMax - m.LhistMin) / m.LhistStep
	writeBuckets(b, slots, func(s int64) string {
		switch {
		case s == 0:
			return fmt.Sprintf("(..., %d)", m.LhistMin)
		case s > buckets:
			return fmt.Sprintf("[%d, ...)", m.LhistMax)
		}
		low := m.LhistMin + (s-1)*m.LhistStep
		return fmt.Sprintf("[%d, %d)", low, low+m.LhistStep)
	})
}

// sizeLabel writes powers of two as bpftrace does: 512, 1K, 2M...
func sizeLabel(v int64) string {
	for _, u := range []string{"", "K", "M", "G", "T", "P", "E"} {
		if v < 1024 || v%1024 != 0 {
			return fmt.Sprintf("%d%s", v, u)
		}
		v /= 1024
	}
	return fmt.Sprint(v)
}
