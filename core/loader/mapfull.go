package loader

import (
	"fmt"
	"io"
	"strconv"

	"github.com/probebox/probebox/core/cost"
	"github.com/probebox/probebox/core/events"
)

// Bounded describes one BPF map that can fill up, and where the BPF side
// counts what it refused: slot Slot of the per-CPU u64 array Counter
// ("map_full" from bpfobj/include/mapfull.bpf.h; "lost_events" for tools
// that count a full map there because they emit no events then).
type Bounded struct {
	Counter string
	Slot    uint32
	Map     string // the map that fills: named in the report, sized from it
	What    string // what went uncounted, plural: "wakeups", "I/O requests"
	Hint    string // how to make room ("raise --max-keys"); may be empty
}

// Dropped is what one bounded map refused since the previous Take.
type Dropped struct {
	Bounded
	Keys uint32 // the map's size; 0 for a stash in task storage
	N    uint64
}

// MapFull reads the refusal counters of a tool's bounded maps, so that
// every tool reports a full map the same way (Report, AppendJSON).
type MapFull struct {
	obj      *Object
	bounded  []Bounded
	counters []events.PerCPUSum
	seen     []uint64
}

// MapFull watches the bounded maps b of the loaded object.
func (o *Object) MapFull(b ...Bounded) (*MapFull, error) {
	for _, x := range b {
		if o.Map(x.Counter) == nil || o.Map(x.Map) == nil {
			return nil, fmt.Errorf("internal: BPF object has no %s or %s map", x.Counter, x.Map)
		}
	}
	f := &MapFull{obj: o, bounded: b, seen: make([]uint64, len(b))}
	for _, x := range b {
		f.counters = append(f.counters, events.NewPerCPUSum(o.Map(x.Counter)))
	}
	return f, nil
}

// Take returns, for each bounded map in order, how much it refused since
// the previous call.
func (f *MapFull) Take() ([]Dropped, error) {
	out := make([]Dropped, len(f.bounded))
	for i, b := range f.bounded {
		// Once a second for the life of a tool: no reflection (events).
		total, ok := f.counters[i].Sum(b.Slot)
		if !ok {
			return nil, fmt.Errorf("reading %s slot %d failed", b.Counter, b.Slot)
		}
		keys := f.obj.Map(b.Map).MaxEntries()
		if f.obj.StashInTask && f.obj.Map(b.Map+"_task") != nil {
			keys = 0 // the stash lives in task storage (stash.bpf.h)
		}
		out[i] = Dropped{Bounded: b, Keys: keys, N: total - f.seen[i]}
		cost.CountRefused(out[i].N) // --stats
		f.seen[i] = total
	}
	return out, nil
}

// Report writes one stderr line per map that refused anything, e.g.
// "runqlat: 12 wakeups not counted: the hists map of 2 keys was full
// (raise --max-keys)".
func Report(w io.Writer, tool string, d []Dropped) {
	for _, x := range d {
		if x.N == 0 {
			continue
		}
		line := fmt.Sprintf("%s: %d %s not counted: the %s map of %d keys was full", tool, x.N, x.What, x.Map, x.Keys)
		if x.Keys == 0 {
			line = fmt.Sprintf("%s: %d %s not counted: the kernel could not allocate their per-thread %s state (task storage)", tool, x.N, x.What, x.Map)
		}
		if x.Hint != "" {
			line += " (" + x.Hint + ")"
		}
		io.WriteString(w, line+"\n")
	}
}

// AppendJSON appends d as a JSON object of counts by map name, zeros
// included, e.g. {"hists":12,"start":0}.
func AppendJSON(b []byte, d []Dropped) []byte {
	b = append(b, '{')
	for i, x := range d {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, x.Map) // map names are C identifiers
		b = append(b, ':')
		b = strconv.AppendUint(b, x.N, 10)
	}
	return append(b, '}')
}

// Total is the sum of d's counts.
func Total(d []Dropped) (n uint64) {
	for _, x := range d {
		n += x.N
	}
	return n
}
