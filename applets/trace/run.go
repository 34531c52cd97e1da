package trace

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/applets/trace/lang"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/cost"
	"github.com/probebox/probebox/core/events"
	"github.com/probebox/probebox/core/kbtf"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/output"
	"github.com/probebox/probebox/core/privs"
)

// session is a compiled program loaded into the kernel.
type session struct {
	compiled *lang.Compiled
	coll     *ebpf.Collection
	links    []link.Link
	fmt      *formatter
	out      *output.Writer
	stderr   io.Writer
	byID     map[int]*lang.MapInfo
	stacks   *stackPrinter
	perfFDs  []int // profile probes' perf events
	// watchFDs are the watchpoints' perf events by address, which
	// unwatch() disables.
	watchFDs map[uint64][]int
	// detachMu: --max-cpu detaches from its own goroutine.
	detachMu sync.Mutex
	// kept: scalar arrays zero()ed since their last clear(), whose
	// all-zero element still prints, as a zeroed hash element would.
	kept map[int]bool
	// executables: each binary opened once for its uprobes (its symbol
	// table is read on the first, 3 MB for libc).
	executables map[string]*link.Executable
}

// executable is binary opened for uprobes, once per session.
func (s *session) executable(binary string) (*link.Executable, error) {
	if ex, ok := s.executables[binary]; ok {
		return ex, nil
	}
	ex, err := link.OpenExecutable(binary)
	if err != nil {
		return nil, err
	}
	if s.executables == nil {
		s.executables = map[string]*link.Executable{}
	}
	s.executables[binary] = ex
	return ex, nil
}

func load(c *lang.Compiled) (*ebpf.Collection, error) {
	if err := privs.Check(); err != nil {
		return nil, err
	}
	spec := &ebpf.CollectionSpec{Maps: c.MapSpecs, Programs: map[string]*ebpf.ProgramSpec{}}
	for _, p := range c.Probes {
		spec.Programs[p.Spec.Name] = p.Spec
	}
	coll, err := ebpf.NewCollectionWithOptions(spec, ebpf.CollectionOptions{Cache: kbtf.SharedCache()})
	if err != nil {
		var ve *ebpf.VerifierError
		if errors.As(err, &ve) {
			return nil, verifierError(c, err, ve)
		}
		return nil, fmt.Errorf("loading the program: %w", err)
	}
	return coll, nil
}

// attachProbe attaches one kernel-side probe; BEGIN, END and interval
// probes run from user space and need no attachment.
func (s *session) attachProbe(p *lang.CompiledProbe) error {
	prog := s.coll.Programs[p.Spec.Name]
	t := p.Target
	var l link.Link
	var err error
	switch t.Kind {
	case "BEGIN", "END", "interval":
		return nil
	case "profile", "software", "hardware", "watchpoint":
		return s.attachPerf(p, prog)
	case "tracepoint":
		l, err = link.Tracepoint(t.Group, t.Name, prog, nil)
	case "rawtracepoint":
		l, err = link.AttachRawTracepoint(link.RawTracepointOptions{Name: t.Name, Program: prog})
	case "fentry", "fexit":
		l, err = link.AttachTracing(link.TracingOptions{Program: prog})
	case "kprobe", "kretprobe":
		// The function as the kernel has it (name.isra.0 and other
		// compiler renames found too); one line where it has none.
		var fn string
		if fn, err = kprobeTarget(t); err == nil {
			if t.Kind == "kprobe" {
				l, err = link.Kprobe(fn, prog, nil)
			} else {
				l, err = link.Kretprobe(fn, prog, nil)
			}
		}
	case "usdt":
		var ex *link.Executable
		if ex, err = s.executable(t.Binary); err == nil {
			opts := &link.UprobeOptions{PID: int(s.compiled.PID), Address: t.USDTOffset, RefCtrOffset: t.USDTSemaphore}
			l, err = ex.Uprobe(t.Name, prog, opts)
		}
	case "uprobe", "uretprobe":
		var ex *link.Executable
		if ex, err = s.executable(t.Binary); err == nil {
			opts := &link.UprobeOptions{PID: int(s.compiled.PID)}
			if t.Kind == "uprobe" {
				l, err = ex.Uprobe(t.Name, prog, opts)
			} else {
				l, err = ex.Uretprobe(t.Name, prog, opts)
			}
		}
	default:
		err = fmt.Errorf("probe type not supported")
	}
	if err != nil {
		return fmt.Errorf("attaching %s: %w", t.Text, err)
	}
	s.links = append(s.links, l)
	return nil
}

// programsByProbe names the kernel-side programs by their probe, for
// --stats.
func (s *session) programsByProbe() map[string]*ebpf.Program {
	progs := map[string]*ebpf.Program{}
	for _, p := range s.compiled.Probes {
		switch p.Target.Kind {
		case "BEGIN", "END", "interval":
			continue // run from user space, not by the kernel's events
		}
		name := output.Escape(p.Target.Text)
		if _, dup := progs[name]; dup {
			name += " (" + p.Spec.Name + ")"
		}
		progs[name] = s.coll.Programs[p.Spec.Name]
	}
	return progs
}

func (s *session) detach() {
	s.detachMu.Lock()
	defer s.detachMu.Unlock()
	for _, l := range s.links {
		l.Close()
	}
	s.links = nil
	for _, fd := range s.perfFDs {
		unix.Close(fd)
	}
	s.perfFDs = nil
}

// runKind runs every user-space probe of a kind (BEGIN, END) once.
func (s *session) runKind(kind string) error {
	for _, p := range s.compiled.Probes {
		if p.Target.Kind != kind {
			continue
		}
		if _, err := s.coll.Programs[p.Spec.Name].Run(&ebpf.RunOptions{Context: make([]byte, 8)}); err != nil {
			return fmt.Errorf("running %s: %w", kind, err)
		}
	}
	return nil
}

// startIntervals runs each interval probe on its own ticker until ctx ends.
func (s *session) startIntervals(ctx context.Context) *sync.WaitGroup {
	var wg sync.WaitGroup
	for _, p := range s.compiled.Probes {
		if p.Target.Kind != "interval" {
			continue
		}
		prog := s.coll.Programs[p.Spec.Name]
		every := p.Target.Every
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTicker(every)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
					prog.Run(&ebpf.RunOptions{Context: make([]byte, 8)})
				}
			}
		}()
	}
	return &wg
}

// handle acts on one record from the events ring buffer. It returns
// errExit when the program called exit().
func (s *session) handle(rec []byte, line *[]byte) error {
	if len(rec) < 16 {
		return fmt.Errorf("short event record (%d bytes)", len(rec))
	}
	ne := binary.NativeEndian
	kind, arg := ne.Uint64(rec), ne.Uint64(rec[8:])
	switch kind {
	case lang.EventPrintf:
		b, err := s.fmt.format((*line)[:0], arg, rec[16:])
		*line = b
		if err != nil {
			return err
		}
		_, err = s.out.Write(b)
		return err
	case lang.EventExit:
		return errExit
	case lang.EventUnwatch:
		s.unwatch(arg)
		return nil
	case lang.EventPrint, lang.EventClear, lang.EventZero:
		id, top, div := lang.DecodePrintArg(arg)
		m := s.byID[id]
		if m == nil {
			return fmt.Errorf("event for unknown map %d", arg)
		}
		bm := s.coll.Maps[fmt.Sprintf("m%d", m.ID)]
		if kind == lang.EventPrint {
			return printMapTop(s.out, m, bm, s.stacks, s.kept[m.ID], top, div)
		}
		if kind == lang.EventClear {
			s.kept[m.ID] = false
			return clearMap(bm)
		}
		if m.IsArray() && !s.kept[m.ID] {
			// As with a hash, zero() keeps an element only if there is one.
			entries, err := readMap(m, bm, false)
			if err != nil {
				return err
			}
			s.kept[m.ID] = len(entries) > 0
		}
		return zeroMap(bm)
	}
	return fmt.Errorf("unknown event type %d", kind)
}

var errExit = errors.New("exit() called")

// mapKeys lists a map's keys.
func mapKeys(bm *ebpf.Map) [][]byte {
	var keys [][]byte
	next := make([]byte, bm.KeySize())
	var cur any
	for bm.NextKey(cur, &next) == nil {
		k := append([]byte(nil), next...)
		keys = append(keys, k)
		cur = k
	}
	return keys
}

// clearMap deletes every element of a map (clear()). An array's
// elements cannot be deleted; zeros read as none.
func clearMap(bm *ebpf.Map) error {
	if bm.Type() == ebpf.PerCPUArray {
		return zeroMap(bm)
	}
	for _, k := range mapKeys(bm) {
		bm.Delete(k)
	}
	return nil
}

// zeroMap sets every value of a map to zero and keeps its keys, as
// bpftrace's zero() does: "@c[a]: 0" still prints afterwards.
func zeroMap(bm *ebpf.Map) error {
	val := make([]byte, bm.ValueSize())
	var value any = val
	if bm.Type() == ebpf.PerCPUHash || bm.Type() == ebpf.PerCPUArray {
		n, err := ebpf.PossibleCPU()
		if err != nil {
			return err
		}
		per := make([][]byte, n)
		for i := range per {
			per[i] = val
		}
		value = per
	}
	for _, k := range mapKeys(bm) {
		if err := bm.Update(k, value, ebpf.UpdateExist); err != nil && !errors.Is(err, ebpf.ErrKeyNotExist) {
			return fmt.Errorf("zero(): %w", err)
		}
	}
	return nil
}

// run executes a compiled program until exit() or ctx ends, then prints
// the maps as bpftrace does. ready, when not nil, is called once probes
// are attached and what BEGIN printed is out (trace -c starts CMD then).
func run(ctx context.Context, c *lang.Compiled, stdout, stderr io.Writer, ready func()) error {
	coll, err := load(c)
	if err != nil {
		return err
	}
	defer coll.Close()
	skb, err := startSkbCapture(c, coll.Maps[lang.SkbEventsMap])
	if err != nil {
		return err
	}
	defer skb.Stop(stderr)
	tables := startWalker(ctx, c, coll)
	defer tables.Stop()
	s := &session{compiled: c, coll: coll, stderr: stderr, byID: map[int]*lang.MapInfo{}, kept: map[int]bool{}}
	s.stacks = &stackPrinter{maps: coll.Maps, sym: newSymbolizer(), json: c.JSON}
	for _, m := range c.Maps {
		s.byID[m.ID] = m
	}
	if s.fmt, err = newFormatter(c.Printfs); err != nil {
		return err
	}
	s.fmt.sym, s.fmt.stacks, s.fmt.json = s.stacks.sym, s.stacks, c.JSON
	s.out = output.NewWriter(stdout, 100*time.Millisecond)
	defer s.out.Close()
	defer s.detach()
	// BEGIN runs before the other probes attach, as in bpftrace: what it
	// prints (a header) comes before any event's output.
	if err := s.runKind("BEGIN"); err != nil {
		return err
	}
	s.detachMu.Lock() // attaching is detach's business too
	attached := 0
	for _, p := range c.Probes {
		err := s.attachProbe(p)
		if err != nil && skippable(p.Target, err) {
			// A function kallsyms lists that the kernel will not probe
			// (6.1's blk_account_io_done): bpftrace skips the attach
			// point and goes on, and so does trace, saying so.
			fmt.Fprintf(stderr, "WARNING: %s is not attached: %v\n", p.Target.Text, err)
			continue
		}
		if err != nil {
			s.detachMu.Unlock()
			return err
		}
		attached++
	}
	s.detachMu.Unlock()
	if attached == 0 && len(c.Probes) > 0 {
		return fmt.Errorf("no probe could be attached")
	}
	// Compiled and attached: kernel BTF is no longer needed (what
	// printing needs is in c), nor the code that parsed, compiled and
	// loaded. Not loader.ReleaseMemory: trace's heap is small, and a
	// forced collection regrows it larger (measured).
	kbtf.Release()
	loader.ReleaseCode()
	cost.Track(s.programsByProbe(), s.detach)
	// Printed once attached (bpftrace prints it just before), so that
	// whoever waits for this line knows events are being seen.
	n := len(c.Probes)
	if c.JSON {
		fmt.Fprint(s.out, jsonRecord("attached_probes", fmt.Sprintf(`{"probes": %d}`, n)))
	} else {
		fmt.Fprintf(s.out, "Attaching %d probe%s...\n", n, map[bool]string{true: "", false: "s"}[n == 1])
	}
	s.out.Flush()
	rd, err := events.Open(events.Source{Events: coll.Maps["events"], Lost: coll.Maps["lost_events"], Ringbuf: true})
	if err != nil {
		return err
	}
	defer rd.Close()

	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	var line []byte
	exited := false
	handle := func(rec []byte) error {
		if exited {
			return nil // as bpftrace: nothing after exit() prints
		}
		err := s.handle(rec, &line)
		if errors.Is(err, errExit) {
			exited = true
			stop()
			return nil
		}
		return err
	}
	if ready != nil {
		// A done context makes Loop read only what is buffered.
		drained, cancel := context.WithCancel(runCtx)
		cancel()
		if err := rd.Loop(drained, "trace", io.Discard, nil, handle); err != nil {
			return err
		}
		if err := s.out.Flush(); err != nil {
			return err
		}
		ready()
	}
	wg := s.startIntervals(runCtx)
	err = rd.Loop(runCtx, "trace", stderr, func() { s.out.Flush() }, handle)
	stop()
	wg.Wait()
	s.detach()
	if err := skb.Stop(stderr); err != nil {
		return err
	}
	if err != nil {
		return err
	}
	// Records after exit() are dropped; then END's print.
	if err := rd.Loop(runCtx, "trace", io.Discard, nil, handle); err != nil {
		return err
	}
	exited = false
	if err := s.runKind("END"); err != nil {
		return err
	}
	// Drain what END printed: the context is already done, so Loop only
	// reads what is buffered.
	if err := rd.Loop(runCtx, "trace", io.Discard, nil, handle); err != nil {
		return err
	}
	fmt.Fprint(s.out, "\n\n")
	for _, m := range c.Maps {
		if err := printMap(s.out, m, coll.Maps[fmt.Sprintf("m%d", m.ID)], s.stacks, s.kept[m.ID]); err != nil {
			return err
		}
	}
	if err := s.out.Flush(); err != nil {
		return err
	}
	return walkerReport(stderr, tables, coll)
}

// kprobeTarget is the symbol a kprobe on t attaches to (resolved when
// compiled), or why there is none.
func kprobeTarget(t lang.Target) (string, error) {
	if err := attach.Running.Supports(attach.Kprobe); err != nil {
		return "", err
	}
	if t.KSym != "" {
		return t.KSym, nil
	}
	return attach.KernelFunction(t.Name)
}

// skippable: a kernel or user function probe the kernel refused as not
// found, which bpftrace would skip; only where the program has other
// probes (compile has checked there are).
func skippable(t lang.Target, err error) bool {
	switch t.Kind {
	case "kprobe", "kretprobe", "uprobe", "uretprobe":
		return errors.Is(err, os.ErrNotExist)
	}
	return false
}
