package unwind

import (
	"cmp"
	"context"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/ringbuf"
	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/buildid"
	"github.com/probebox/probebox/core/memtrim"
)

// Layouts shared with bpfobj/include/unwind.h.
const (
	rowSize       = 16      // struct pb_unwind_row
	mappingSize   = 32      // struct pb_unwind_mapping
	maxMappings   = 64      // PB_UNWIND_MAX_MAPPINGS
	maxSearchRows = 1 << 24 // PB_UNWIND_SEARCH_STEPS steps of binary search
	// PollEvery is how often at most the loader answers the walker's
	// requests (processes and files it met before they were loaded): it
	// wakes when the walker rings (unwind_requests), then lets requests
	// gather for PollEvery before the next pass.
	PollEvery = 100 * time.Millisecond
	// BackgroundShare bounds the background builds of large tables
	// (above SmallEHFrame): after one that took d, the next waits until
	// d/BackgroundShare has passed since it began (a table is built once
	// per binary; a busy host's first seconds would otherwise spend a CPU
	// on them).
	BackgroundShare = 0.05
	// MaxBackgroundEHFrame: files with a larger .eh_frame get no table
	// when the walker meets them (frame pointers there, said by -v):
	// building one costs seconds of CPU (libLLVM: 1.17 million rows).
	// A -p process's files are built whatever their size.
	MaxBackgroundEHFrame = 4 << 20
	// SmallEHFrame: files with a smaller .eh_frame (libc's is 150 KiB,
	// tens of milliseconds to build) are built at once whatever the
	// budget: a large program's table must not hold up the library
	// every process shares.
	SmallEHFrame = 256 << 10
)

// ProcSize is the size of struct pb_unwind_proc, as the loader writes it:
// n, pad, start_code, then the mappings.
const (
	ProcSize     = procHeader + maxMappings*mappingSize
	procHeader   = 16
	startCodeOff = 8
)

// Slots of unwind_stats (PB_UNWIND_* in unwind.h).
const (
	statStacks = iota
	statNoTables
	statTruncated
	statCollisions
	statTableFrames
	statFPFrames
	statPendingFrames
	numStats
)

// MaxDepth is the walker's frame limit (PB_UNWIND_MAX_DEPTH).
const MaxDepth = 127

// Maps are the walker's maps (unwind.bpf.h) in a loaded collection.
type Maps struct {
	Tables, Procs, Wanted, Stats *ebpf.Map
	Requests                     *ebpf.Map // the doorbell ring; nil: poll every PollEvery
}

// MapsOf finds the walker's maps by their names in unwind.bpf.h.
func MapsOf(m func(name string) *ebpf.Map) Maps {
	return Maps{Tables: m("unwind_tables"), Procs: m("unwind_procs"), Wanted: m("unwind_wanted"), Stats: m("unwind_stats"),
		Requests: m(RequestsMap)}
}

// RequestsMap is the walker's doorbell: a ring buffer of the requests it
// adds to unwind_wanted.
const RequestsMap = "unwind_requests"

// Walks says whether the walker has rules for the running architecture
// (its registers are read in bpfobj/include/regs.bpf.h, pb_user_regs).
func Walks() bool { return runtime.GOARCH == "amd64" || runtime.GOARCH == "arm64" }

// binaryTable is one file's table as loaded.
type binaryTable struct {
	table, rows uint32 // table 0: none (frame pointers)
	fdes        int
	why         string // why there is no table
}

// Markers of struct pb_unwind_mapping (unwind.h).
const (
	tablePending = 0xffffffff // PB_UNWIND_TABLE_PENDING: rows is the file's number
	wantFile     = 0x80000000 // PB_UNWIND_WANT_FILE
	wantExec     = 0x40000000 // PB_UNWIND_WANT_EXEC
	wantMaps     = 0x20000000 // PB_UNWIND_WANT_MAPS
)

// Reading a process's mappings again after a miss (PB_UNWIND_WANT_MAPS):
// at once the first time, then no sooner than every remapEvery, doubled
// up to remapAtMost while nothing changes (a JIT's code misses on every
// sample).
const (
	remapEvery  = time.Second
	remapAtMost = time.Minute
)

// remap is when pid's mappings may be read again after a miss.
type remap struct {
	next  time.Time
	every time.Duration
}

// slot is one mapping of a process's entry in the procs map.
type slot struct{ pid, idx int }

// file is one mapped file (by device and inode): its executable segments
// (for the bias of each mapping) and, once built, its table. A file
// whose table is not built yet is "pending": the processes mapping it
// point at its number and the walker asks for it when it meets it.
type file struct {
	num     uint32
	path    string
	pid     int // a process mapping it: the file is opened through its root
	progs   []elf.ProgHeader
	ehSize  uint64       // of .eh_frame: small tables are built first
	b       *binaryTable // nil while pending
	waiters []slot       // mappings that point at the pending file
}

// Loader loads unwind tables for the processes the walker meets: each
// process's mapping list on its first sample (one read of its maps), each
// file's table on the walker's first step into it (only the files the
// samples reach, built in the background), one table per binary (by
// build-id, else device and inode) shared by every process mapping it.
type Loader struct {
	maps    Maps
	tool    string
	verbose io.Writer // -v: which binaries got tables

	mu     sync.Mutex       // held while a process or a file loads
	files  map[string]*file // by device:inode
	nums   []*file          // by number
	ids    map[string]*binaryTable
	procs  map[int][]byte    // each process's entry as written
	read   map[int][]mapping // ... and the mappings it was made from
	remaps map[int]remap
	next   uint32
	// Counters read without the lock (Stats during a load).
	tables, rows, procCount atomic.Int64
	refused                 atomic.Int64 // processes the procs map had no room for
	reloads                 atomic.Int64 // processes read again: exec, new mappings
	trimmed                 time.Time    // the last memtrim (Run's goroutine)
}

// TrimEvery bounds how often the memory builds used is given back.
const TrimEvery = 250 * time.Millisecond

// NewLoader loads tables into maps; verbose (may be nil) hears about
// every binary.
func NewLoader(maps Maps, tool string, verbose io.Writer) *Loader {
	return &Loader{maps: maps, tool: tool, verbose: verbose,
		files: map[string]*file{}, ids: map[string]*binaryTable{}, procs: map[int][]byte{},
		read: map[int][]mapping{}, remaps: map[int]remap{}, next: 1}
}

// Run answers the walker's requests until ctx ends: processes sampled
// before their mappings were loaded, then files met before their tables
// were built. It wakes when the walker rings (at most every PollEvery;
// every PollEvery without a doorbell) and when requests it left in the
// map are due: a large build BackgroundShare held back, a process's
// mappings read again too recently.
func (l *Loader) Run(ctx context.Context) {
	rang, stop := doorbell(l.maps.Requests)
	defer stop()
	later := time.NewTimer(0) // requests left in the map
	later.Stop()
	defer later.Stop()
	var retry <-chan time.Time
	var nextBuild time.Time // BackgroundShare's bound
	// A build reads a binary's .eh_frame into rows on the heap and runs
	// code nothing else needs: once its table is in the kernel's map,
	// both are given back (memtrim: a collection of a small heap, about
	// a millisecond), at most every TrimEvery.
	trim := time.NewTimer(0)
	trim.Stop()
	defer trim.Stop()
	trimPending := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-rang:
		case <-retry:
		case <-trim.C:
			l.trim()
			trimPending = false
			continue
		}
		retry = nil
		built := l.tables.Load()
		due := l.pass(ctx, &nextBuild)
		if l.tables.Load() != built && !trimPending {
			trimPending = true
			trim.Reset(max(0, time.Until(l.trimmed.Add(TrimEvery))))
		}
		if !due.IsZero() {
			later.Reset(time.Until(due))
			retry = later.C
		}
	}
}

func (l *Loader) trim() {
	memtrim.All()
	l.trimmed = time.Now()
}

// doorbell is a channel that receives when the walker rang (a new
// request), at most every PollEvery, and a function that stops it;
// without a ring buffer, a ticker every PollEvery.
func doorbell(m *ebpf.Map) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	done := make(chan struct{})
	var rd *ringbuf.Reader
	if m != nil && m.Type() == ebpf.RingBuf {
		rd, _ = ringbuf.NewReader(m)
	}
	ring := func() {
		select {
		case ch <- struct{}{}:
		default: // a pass is due anyway: it reads the whole map
		}
	}
	if rd == nil {
		t := time.NewTicker(PollEvery)
		go func() {
			for {
				select {
				case <-done:
					return
				case <-t.C:
					ring()
				}
			}
		}()
		return ch, func() { t.Stop(); close(done) }
	}
	go func() {
		var rec ringbuf.Record
		for {
			// Blocks until a record; fails once closed.
			if rd.ReadInto(&rec) != nil {
				return
			}
			for rd.AvailableBytes() > 0 && rd.ReadInto(&rec) == nil {
			}
			ring()
			// Records of the next PollEvery wait in the ring (the
			// kernel wakes a reader only when it has read them all).
			select {
			case <-done:
				return
			case <-time.After(PollEvery):
			}
		}
	}()
	return ch, func() { close(done); rd.Close() }
}

// pass answers the requests in the walker's map. Requests it leaves
// there (the walker does not ring again for them) are due at the time it
// returns (zero: none).
func (l *Loader) pass(ctx context.Context, nextBuild *time.Time) (due time.Time) {
	var key uint32
	var one uint8
	var pids, files []uint32
	it := l.maps.Wanted.Iterate()
	for it.Next(&key, &one) {
		if key&wantFile != 0 {
			files = append(files, key)
		} else {
			pids = append(pids, key)
		}
	}
	at := func(t time.Time) {
		if due.IsZero() || t.Before(due) {
			due = t
		}
	}
	for _, k := range pids {
		if ctx.Err() != nil {
			return due
		}
		pid := int(k &^ (wantExec | wantMaps))
		switch {
		case k&wantExec != 0:
			l.forgetProcess(pid)
			l.loadProcess(ctx, pid, false)
		case k&wantMaps != 0:
			if until := l.remapProcess(ctx, pid); !until.IsZero() {
				// Left in the map: a JIT's or the vDSO's code misses
				// on every sample, and would ring each time.
				at(until)
				continue
			}
		default:
			l.loadProcess(ctx, pid, false)
		}
		l.maps.Wanted.Delete(k)
	}
	// The smallest first: libc's table serves every process, a large
	// program's only itself.
	l.mu.Lock()
	sizes := map[uint32]uint64{}
	for _, k := range files {
		sizes[k] = l.ehSizeOf(k &^ wantFile)
	}
	l.mu.Unlock()
	slices.SortFunc(files, func(a, b uint32) int { return cmp.Compare(sizes[a], sizes[b]) })
	began := time.Now()
	for _, k := range files {
		if ctx.Err() != nil {
			return due
		}
		if sizes[k] > SmallEHFrame && time.Now().Before(*nextBuild) {
			at(*nextBuild) // over the budget: the requests stay in the map
			return due
		}
		l.buildFile(ctx, k&^wantFile)
		if time.Since(l.trimmed) >= TrimEvery {
			l.trim() // a start-up's many builds: one heap at a time
		}
		l.maps.Wanted.Delete(k)
		if sizes[k] > SmallEHFrame {
			// Large builds share the budget.
			spent := time.Since(began)
			*nextBuild = began.Add(time.Duration(float64(spent) / BackgroundShare))
		}
		began = time.Now()
	}
	return due
}

// ehSizeOf is the .eh_frame size of file num (0 if unknown); l.mu held.
func (l *Loader) ehSizeOf(num uint32) uint64 {
	if int(num) < len(l.nums) {
		return l.nums[num].ehSize
	}
	return 0
}

// forgetProcess drops what was loaded for pid, whose image or mappings
// changed (the walker saw another start_code: exec, a reused PID), so that
// loadProcess reads its mappings again; its mappings waiting for a table
// would point into the old entry.
func (l *Loader) forgetProcess(pid int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.procs[pid]; !ok {
		return
	}
	delete(l.procs, pid)
	delete(l.read, pid)
	l.procCount.Add(-1)
	for _, f := range l.nums {
		f.waiters = slices.DeleteFunc(f.waiters, func(s slot) bool { return s.pid == pid })
	}
	l.reloads.Add(1)
}

// remapProcess reads pid's mappings again after the walker met an address
// none of them holds, and reloads the process if they changed (a library
// mapped since: right after an exec, the dynamic loader's; dlopen). Asked
// again before remapEvery (doubled while nothing changes) has passed, it
// reads nothing and returns when it may (zero: answered).
func (l *Loader) remapProcess(ctx context.Context, pid int) (until time.Time) {
	now := time.Now()
	l.mu.Lock()
	old, known := l.read[pid]
	r := l.remaps[pid]
	l.mu.Unlock()
	if !known {
		return time.Time{} // not loaded yet: the walker asks for it
	}
	if now.Before(r.next) {
		return r.next // asked too soon
	}
	maps, err := readMaps(pid)
	if err != nil {
		return time.Time{}
	}
	if slices.Equal(maps, old) {
		r.every = min(max(2*r.every, remapEvery), remapAtMost)
	} else {
		r.every = remapEvery
		l.forgetProcess(pid)
		l.loadProcess(ctx, pid, false)
	}
	r.next = now.Add(r.every)
	l.mu.Lock()
	l.remaps[pid] = r
	l.mu.Unlock()
	return time.Time{}
}

// LoadProcess loads pid's mapping list and builds the tables of all its
// files now (-p's process: whole stacks from the first sample).
func (l *Loader) LoadProcess(ctx context.Context, pid int) { l.loadProcess(ctx, pid, true) }

// loadProcess writes pid's mapping list (once per process), building the
// tables of its files now (eager) or leaving unbuilt ones pending. A
// process that cannot be read gets an empty list, so the walker stops
// asking and uses frame pointers. Ending ctx stops it between files and
// inside a large one.
func (l *Loader) loadProcess(ctx context.Context, pid int, eager bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.procs[pid]; ok {
		return
	}
	// start_code before the maps: an exec between the two then leaves
	// the old start_code, which the walker reports again.
	startCode := readStartCode(pid)
	maps, _ := readMaps(pid)
	val := make([]byte, ProcSize)
	binary.NativeEndian.PutUint64(val[startCodeOff:], startCode)
	var waits []*file
	n := 0
	for _, m := range maps {
		if n == maxMappings {
			break
		}
		if ctx.Err() != nil {
			return // not loaded, then
		}
		f := l.fileOf(pid, m)
		bias, ok := f.bias(m.start, m.off)
		table, rows := uint32(0), uint32(0)
		switch {
		case !ok: // not an executable segment of an ELF file we could read
		case f.b == nil && eager:
			l.resolve(ctx, f)
			if f.b == nil {
				return // interrupted
			}
			table, rows = f.b.table, f.b.rows
		case f.b == nil:
			table, rows = tablePending, f.num
			waits = append(waits, f)
			f.waiters = append(f.waiters, slot{pid, n})
		default:
			table, rows = f.b.table, f.b.rows
		}
		putMapping(val[procHeader+n*mappingSize:], m.start, m.end, bias, table, rows)
		n++
	}
	binary.NativeEndian.PutUint32(val, uint32(n))
	l.procs[pid] = val
	l.read[pid] = maps
	if err := l.maps.Procs.Update(uint32(pid), val, ebpf.UpdateAny); err != nil {
		for _, f := range waits {
			f.waiters = f.waiters[:len(f.waiters)-1]
		}
		l.refused.Add(1)
		return
	}
	l.procCount.Add(1)
}

func putMapping(e []byte, start, end, bias uint64, table, rows uint32) {
	binary.NativeEndian.PutUint64(e, start)
	binary.NativeEndian.PutUint64(e[8:], end)
	binary.NativeEndian.PutUint64(e[16:], bias)
	binary.NativeEndian.PutUint32(e[24:], table)
	binary.NativeEndian.PutUint32(e[28:], rows)
}

// fileOf is m's file, read (its segments) the first time any process
// maps it; a file that cannot be read has no segments and no table.
func (l *Loader) fileOf(pid int, m mapping) *file {
	if f, ok := l.files[m.file]; ok {
		return f
	}
	f := &file{num: uint32(len(l.nums)), path: m.path, pid: pid}
	l.files[m.file] = f
	l.nums = append(l.nums, f)
	ef, err := openInProcess(pid, m.path)
	if err != nil {
		f.b = &binaryTable{why: err.Error()}
		l.say(f, "", time.Time{})
		return f
	}
	defer ef.Close()
	for _, p := range ef.Progs {
		if p.Type == elf.PT_LOAD && p.Flags&elf.PF_X != 0 {
			f.progs = append(f.progs, p.ProgHeader)
		}
	}
	if s := ef.Section(".eh_frame"); s != nil {
		f.ehSize = s.Size
	}
	if len(f.progs) == 0 {
		f.b = &binaryTable{why: "no executable segments"}
		l.say(f, "", time.Time{})
	}
	return f
}

// bias is the difference from a mapping's addresses to the file's, for
// a mapping at start of file offset off; false when off is in none of
// the file's executable segments.
func (f *file) bias(start, off uint64) (uint64, bool) {
	v, ok := vaddrOf(f.progs, off)
	return start - v, ok
}

// buildFile builds the table of the pending file num (the walker met it)
// and points the mappings waiting for it at the table.
func (l *Loader) buildFile(ctx context.Context, num uint32) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if int(num) >= len(l.nums) {
		return
	}
	f := l.nums[num]
	if f.b == nil && f.ehSize > MaxBackgroundEHFrame {
		f.b = &binaryTable{why: fmt.Sprintf(".eh_frame of %d KiB, more than the %d KiB built in the background (-p builds it)", f.ehSize>>10, MaxBackgroundEHFrame>>10)}
		l.say(f, "", time.Time{})
	}
	l.resolve(ctx, f)
}

// resolve builds f's table if it is pending and points the mappings
// waiting for it at the table; f.b stays nil when ctx ends first (the
// walker asks again).
func (l *Loader) resolve(ctx context.Context, f *file) {
	if f.b == nil {
		l.build(ctx, f)
	}
	if f.b == nil {
		return
	}
	for _, s := range f.waiters {
		val := l.procs[s.pid]
		e := val[procHeader+s.idx*mappingSize:]
		binary.NativeEndian.PutUint32(e[24:], f.b.table)
		binary.NativeEndian.PutUint32(e[28:], f.b.rows)
		// A process that exited meanwhile: its entry is stale, no harm.
		l.maps.Procs.Update(uint32(s.pid), val, ebpf.UpdateExist)
	}
	f.waiters = nil
}

// build loads f's table (or finds it by build-id), leaving f.b nil when
// ctx ends first.
func (l *Loader) build(ctx context.Context, f *file) {
	ef, err := openInProcess(f.pid, f.path)
	if err != nil {
		for _, s := range f.waiters { // the first process may be gone
			if ef, err = openInProcess(s.pid, f.path); err == nil {
				break
			}
		}
	}
	if err != nil {
		f.b = &binaryTable{why: err.Error()}
		l.say(f, "", time.Time{})
		return
	}
	defer ef.Close()
	id := buildid.Of(ef)
	if b, ok := l.ids[id]; ok && id != "" {
		f.b = b
		return
	}
	b := &binaryTable{}
	began := time.Now()
	if t, err := BuildContext(ctx, ef); err != nil {
		if ctx.Err() != nil {
			return // interrupted: not remembered
		}
		b.why = err.Error()
	} else if err := l.load(b, t); err != nil {
		b.why = err.Error()
	}
	f.b = b
	if id != "" {
		l.ids[id] = b
	}
	l.say(f, id, began)
}

// say tells -v about f's table.
func (l *Loader) say(f *file, id string, began time.Time) {
	if l.verbose == nil {
		return
	}
	b := f.b
	if b.table != 0 {
		fmt.Fprintf(l.verbose, "%s: unwind table %d for %s: %d rows from %d FDEs, %d KiB, loaded in %v (build-id %s)\n",
			l.tool, b.table, f.path, b.rows, b.fdes, b.rows*rowSize/1024, time.Since(began).Round(time.Millisecond), orNone(id))
	} else {
		fmt.Fprintf(l.verbose, "%s: no unwind table for %s: %s; frame pointers there\n", l.tool, f.path, b.why)
	}
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
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
	mapped := mmapTables()
	inner, err := ebpf.NewMap(&ebpf.MapSpec{
		Type: ebpf.Array, KeySize: 4, ValueSize: rowSize, MaxEntries: uint32(len(t.Rows)),
		Flags: innerFlags(mapped),
	})
	if err != nil {
		return fmt.Errorf("table map of %d rows: %w", len(t.Rows), err)
	}
	defer inner.Close() // the tables map holds it
	if mapped {
		err = writeMapped(inner, t.Rows)
	} else {
		err = writeBatch(inner, t.Rows)
	}
	if err != nil {
		return err
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

// mmapTables says whether the kernel has memory-mapped arrays
// (BPF_F_MMAPABLE, Linux 5.5). Tables are then written straight into
// their map's memory: one batch update copies and checks each row in
// the kernel, which cost as much as building the table (measured:
// libclang's 445,691 rows).
var mmapTables = sync.OnceValue(func() bool {
	m, err := ebpf.NewMap(&ebpf.MapSpec{Type: ebpf.Array, KeySize: 4, ValueSize: rowSize, MaxEntries: 1,
		Flags: unix.BPF_F_MMAPABLE})
	if err != nil {
		return false
	}
	m.Close()
	return true
})

// innerFlags are a table map's flags, the same in the walker's template
// (SizeMaps) as in every table: the kernel refuses an inner map whose
// flags differ.
func innerFlags(mapped bool) uint32 {
	if mapped {
		return unix.BPF_F_INNER_MAP | unix.BPF_F_MMAPABLE
	}
	return unix.BPF_F_INNER_MAP
}

// writeMapped writes rows into m's memory, mapped for the time it takes.
func writeMapped(m *ebpf.Map, rows []Row) error {
	page := os.Getpagesize()
	size := (len(rows)*rowSize + page - 1) / page * page
	mem, err := unix.Mmap(m.FD(), 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		return fmt.Errorf("table of %d rows: mmap: %w", len(rows), err)
	}
	for i, r := range rows {
		encodeRow(mem[i*rowSize:], r)
	}
	if err := unix.Munmap(mem); err != nil {
		return fmt.Errorf("table of %d rows: munmap: %w", len(rows), err)
	}
	return nil
}

// writeBatch writes rows into m by a batch update (kernels without
// memory-mapped arrays).
func writeBatch(inner *ebpf.Map, rows []Row) error {
	keys := make([]uint32, len(rows))
	// One element per row: BatchUpdate wants as many values as keys (a
	// flat []byte is refused, and the row-by-row fallback below then
	// cost most of the loader's CPU: measured).
	vals := make([][rowSize]byte, len(rows))
	for i, r := range rows {
		keys[i] = uint32(i)
		encodeRow(vals[i][:], r)
	}
	if _, err := inner.BatchUpdate(keys, vals, nil); err != nil {
		if !errors.Is(err, ebpf.ErrNotSupported) {
			return fmt.Errorf("table of %d rows: %w", len(rows), err)
		}
		// Before 5.6 (no batch ops for arrays): one by one.
		for i := range keys {
			if err := inner.Update(keys[i], vals[i][:], ebpf.UpdateAny); err != nil {
				return fmt.Errorf("table row %d: %w", i, err)
			}
		}
	}
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
	PendingFrames                                                  uint64 // of FPFrames: in files whose table was being built
	Tables, Rows, Processes, Refused, Reloads                      int
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
	s.TableFrames, s.FPFrames, s.PendingFrames = sums[statTableFrames], sums[statFPFrames], sums[statPendingFrames]
	s.Tables, s.Rows, s.Processes, s.Refused = int(l.tables.Load()), int(l.rows.Load()), int(l.procCount.Load()), int(l.refused.Load())
	s.Reloads = int(l.reloads.Load())
	s.Bytes = int64(s.Rows) * rowSize
	return s, nil
}
