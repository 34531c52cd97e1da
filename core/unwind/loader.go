package unwind

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"
)

// Layouts shared with bpfobj/include/unwind.h.
const (
	rowSize       = 16      // struct pb_unwind_row
	mappingSize   = 32      // struct pb_unwind_mapping
	maxMappings   = 64      // PB_UNWIND_MAX_MAPPINGS
	maxSearchRows = 1 << 24 // PB_UNWIND_SEARCH_STEPS steps of binary search
	// PollEvery is how often the loader looks for processes sampled
	// before their tables were loaded.
	PollEvery = 100 * time.Millisecond
)

// ProcSize is the size of struct pb_unwind_proc, as the loader writes it.
const ProcSize = 8 + maxMappings*mappingSize

// Slots of unwind_stats (PB_UNWIND_* in unwind.h).
const (
	statStacks = iota
	statNoTables
	statTruncated
	statCollisions
	statTableFrames
	statFPFrames
	numStats
)

// MaxDepth is the walker's frame limit (PB_UNWIND_MAX_DEPTH).
const MaxDepth = 127

// Maps are the walker's maps (unwind.bpf.h) in a loaded collection.
type Maps struct {
	Tables, Procs, Wanted, Stats *ebpf.Map
}

// MapsOf finds the walker's maps by their names in unwind.bpf.h.
func MapsOf(m func(name string) *ebpf.Map) Maps {
	return Maps{Tables: m("unwind_tables"), Procs: m("unwind_procs"), Wanted: m("unwind_wanted"), Stats: m("unwind_stats")}
}

// Regs are the byte offsets of the user registers in the kernel's struct
// pt_regs, the walker's starting point (LR 0: no link register).
type Regs struct{ IP, SP, FP, LR uint32 }

// RegsOf is the running architecture's register layout; false where the
// walker has no rules yet.
func RegsOf() (Regs, bool) {
	switch runtime.GOARCH {
	case "amd64": // r15 r14 r13 r12 bp bx r11 r10 r9 r8 ax cx dx si di orig_ax ip cs flags sp ss
		return Regs{IP: 16 * 8, SP: 19 * 8, FP: 4 * 8}, true
	}
	return Regs{}, false
}

// binaryTable is one file's table as loaded.
type binaryTable struct {
	table, rows uint32 // table 0: none (frame pointers)
	fdes        int
	why         string // why there is no table
}

// Loader loads the unwind tables of the processes the walker asks for,
// one table per binary (by build-id, else device and inode) shared by
// every process mapping it.
type Loader struct {
	maps    Maps
	tool    string
	verbose io.Writer // -v: which binaries got tables

	mu    sync.Mutex              // held while a process loads
	files map[string]*binaryTable // by device:inode
	ids   map[string]*binaryTable // by build-id
	tried map[int]bool
	next  uint32
	// Counters read without the lock (Stats during a load).
	tables, rows, procs atomic.Int64
	refused             atomic.Int64 // processes the procs map had no room for
}

// NewLoader loads tables into maps; verbose (may be nil) hears about
// every binary.
func NewLoader(maps Maps, tool string, verbose io.Writer) *Loader {
	return &Loader{maps: maps, tool: tool, verbose: verbose,
		files: map[string]*binaryTable{}, ids: map[string]*binaryTable{}, tried: map[int]bool{}, next: 1}
}

// Run loads the tables of processes the walker sampled without them,
// every PollEvery until ctx ends.
func (l *Loader) Run(ctx context.Context) {
	t := time.NewTicker(PollEvery)
	defer t.Stop()
	var pid uint32
	var one uint8
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		var want []uint32
		it := l.maps.Wanted.Iterate()
		for it.Next(&pid, &one) {
			want = append(want, pid)
		}
		for _, p := range want {
			if ctx.Err() != nil {
				return
			}
			l.LoadProcess(ctx, int(p))
			l.maps.Wanted.Delete(p)
		}
	}
}

// LoadProcess loads the tables of pid's executable mappings (once per
// process) and its mapping list. A process that cannot be read gets an
// empty list, so the walker stops asking and uses frame pointers.
// Ending ctx stops it between files and inside a large one.
func (l *Loader) LoadProcess(ctx context.Context, pid int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.tried[pid] {
		return
	}
	l.tried[pid] = true
	maps, _ := readMaps(pid)
	val := make([]byte, ProcSize)
	n := 0
	for _, m := range maps {
		if n == maxMappings {
			break
		}
		if ctx.Err() != nil {
			delete(l.tried, pid) // not tried, then
			return
		}
		b, bias := l.binary(ctx, pid, m)
		e := val[8+n*mappingSize:]
		binary.NativeEndian.PutUint64(e, m.start)
		binary.NativeEndian.PutUint64(e[8:], m.end)
		binary.NativeEndian.PutUint64(e[16:], bias)
		binary.NativeEndian.PutUint32(e[24:], b.table)
		binary.NativeEndian.PutUint32(e[28:], b.rows)
		n++
	}
	binary.NativeEndian.PutUint32(val, uint32(n))
	if err := l.maps.Procs.Update(uint32(pid), val, ebpf.UpdateAny); err != nil {
		l.refused.Add(1)
		return
	}
	l.procs.Add(1)
}

// binary is the table of m's file (loading it the first time) and the
// bias from process addresses to the file's.
func (l *Loader) binary(ctx context.Context, pid int, m mapping) (*binaryTable, uint64) {
	f, err := openInProcess(pid, m.path)
	if err != nil {
		return l.remember(m, "", &binaryTable{why: err.Error()}), 0
	}
	defer f.Close()
	var bias uint64
	if v, ok := vaddrOf(f, m.off); ok {
		bias = m.start - v
	}
	if b, ok := l.files[m.file]; ok {
		return b, bias
	}
	if ctx.Err() != nil {
		return &binaryTable{}, bias
	}
	id := buildID(f)
	if b, ok := l.ids[id]; ok && id != "" {
		l.files[m.file] = b
		return b, bias
	}
	b := &binaryTable{}
	began := time.Now()
	if _, ok := vaddrOf(f, m.off); !ok {
		b.why = "mapping outside the file's executable segments"
	} else if t, err := BuildContext(ctx, f); err != nil {
		if ctx.Err() != nil {
			return b, bias // interrupted: not remembered
		}
		b.why = err.Error()
	} else if err := l.load(b, t); err != nil {
		b.why = err.Error()
	}
	l.remember(m, id, b)
	if l.verbose != nil {
		if b.table != 0 {
			fmt.Fprintf(l.verbose, "%s: unwind table %d for %s: %d rows from %d FDEs, %d KiB, loaded in %v (build-id %s)\n",
				l.tool, b.table, m.path, b.rows, b.fdes, b.rows*rowSize/1024, time.Since(began).Round(time.Millisecond), orNone(id))
		} else {
			fmt.Fprintf(l.verbose, "%s: no unwind table for %s: %s; frame pointers there\n", l.tool, m.path, b.why)
		}
	}
	return b, bias
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func (l *Loader) remember(m mapping, id string, b *binaryTable) *binaryTable {
	l.files[m.file] = b
	if id != "" {
		l.ids[id] = b
	}
	return b
}

// load puts t's rows into a new inner array of the tables map.
func (l *Loader) load(b *binaryTable, t *Table) error {
	if len(t.Rows) == 0 {
		return errors.New("no rows")
	}
	if len(t.Rows) > maxSearchRows {
		return fmt.Errorf("%d rows, more than the walker searches", len(t.Rows))
	}
	if t.Rows[len(t.Rows)-1].PC > math.MaxUint32 {
		return errors.New("code above 4 GiB in the file")
	}
	if l.next >= l.maps.Tables.MaxEntries() {
		return fmt.Errorf("all %d tables in use", l.maps.Tables.MaxEntries()-1)
	}
	inner, err := ebpf.NewMap(&ebpf.MapSpec{
		Type: ebpf.Array, KeySize: 4, ValueSize: rowSize, MaxEntries: uint32(len(t.Rows)),
		Flags: unix.BPF_F_INNER_MAP,
	})
	if err != nil {
		return fmt.Errorf("table map of %d rows: %w", len(t.Rows), err)
	}
	defer inner.Close() // the tables map holds it
	keys := make([]uint32, len(t.Rows))
	vals := make([]byte, rowSize*len(t.Rows))
	for i, r := range t.Rows {
		keys[i] = uint32(i)
		encodeRow(vals[i*rowSize:], r)
	}
	if _, err := inner.BatchUpdate(keys, vals, nil); err != nil {
		// Before 5.6 (no batch ops for arrays): one by one.
		for i := range keys {
			if err := inner.Update(keys[i], vals[i*rowSize:(i+1)*rowSize], ebpf.UpdateAny); err != nil {
				return fmt.Errorf("table row %d: %w", i, err)
			}
		}
	}
	if err := l.maps.Tables.Update(l.next, inner, ebpf.UpdateAny); err != nil {
		return fmt.Errorf("tables map: %w", err)
	}
	b.table, b.rows, b.fdes = l.next, uint32(len(t.Rows)), t.FDEs
	l.next++
	l.tables.Add(1)
	l.rows.Add(int64(len(t.Rows)))
	return nil
}

// encodeRow writes struct pb_unwind_row; a rule whose offsets do not fit
// becomes "none" (frame-pointer step).
func encodeRow(b []byte, r Row) {
	if r.FPOffset != int32(int16(r.FPOffset)) || r.RAOffset != int32(int16(r.RAOffset)) {
		r = Row{PC: r.PC}
	}
	binary.NativeEndian.PutUint32(b, uint32(r.PC))
	binary.NativeEndian.PutUint32(b[4:], uint32(r.CFAOffset))
	binary.NativeEndian.PutUint16(b[8:], uint16(int16(r.FPOffset)))
	binary.NativeEndian.PutUint16(b[10:], uint16(int16(r.RAOffset)))
	b[12] = byte(r.CFA)
	b[13], b[14], b[15] = 0, 0, 0
}

// Stats are the walker's counters and the tables' memory.
type Stats struct {
	Stacks, NoTables, Truncated, Collisions, TableFrames, FPFrames uint64
	Tables, Rows, Processes, Refused                               int
	Bytes                                                          int64 // of table rows
}

// Stats sums the walker's per-CPU counters.
func (l *Loader) Stats() (Stats, error) {
	var s Stats
	var sums [numStats]uint64
	for i := range sums {
		var per []uint64
		if err := l.maps.Stats.Lookup(uint32(i), &per); err != nil {
			return s, fmt.Errorf("unwind stats: %w", err)
		}
		for _, v := range per {
			sums[i] += v
		}
	}
	s.Stacks, s.NoTables, s.Truncated, s.Collisions = sums[statStacks], sums[statNoTables], sums[statTruncated], sums[statCollisions]
	s.TableFrames, s.FPFrames = sums[statTableFrames], sums[statFPFrames]
	s.Tables, s.Rows, s.Processes, s.Refused = int(l.tables.Load()), int(l.rows.Load()), int(l.procs.Load()), int(l.refused.Load())
	s.Bytes = int64(s.Rows) * rowSize
	return s, nil
}
