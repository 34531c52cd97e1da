package events

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/perf"

	"github.com/probebox/probebox/core/cost"
	"github.com/probebox/probebox/core/memtrim"
)

// Source is what a Reader needs from a loaded tool.
type Source struct {
	Events  *ebpf.Map // ring buffer or perf event array named "events"
	Lost    *ebpf.Map // per-CPU u64 counter named "lost_events"; may be nil
	Ringbuf bool
	// PerCPUBytes sizes each perf buffer; ignored for ring buffers.
	PerCPUBytes int
}

// Reader delivers raw samples one at a time, reusing one buffer.
type Reader struct {
	rb       *ringReader
	pr       *perf.Reader
	prRec    perf.Record
	lost     *lostCounter
	perfLost uint64
	// handled and lostSeen are what the last Loops handled and saw lost,
	// not yet added to --stats (core/cost).
	handled  uint64
	lostSeen uint64
	// allocsAt is the process's Go heap allocation count when the
	// current Loop began streaming (--stats: allocations per event).
	allocsAt uint64
}

// Open starts reading src.
func Open(src Source) (*Reader, error) {
	r := &Reader{lost: newLostCounter(src.Lost)}
	var err error
	if src.Ringbuf {
		r.rb, err = newRingReader(src.Events)
	} else {
		size := src.PerCPUBytes
		if size <= 0 {
			size = defaultPerCPUBytes(runtime.NumCPU())
		}
		// As with the ring buffer's wake-up mark (emit() in
		// probebox.bpf.h): the kernel wakes the reader once a CPU's
		// buffer is an eighth full, not for every event; Loop's
		// deadline picks up whatever is below the mark. An eighth, not
		// a quarter as for the ring: per-CPU buffers are smaller, and
		// the reader needs the slack when it waits for a CPU.
		r.pr, err = perf.NewReaderWithOptions(src.Events, size, perf.ReaderOptions{Watermark: perfWatermark(size)})
	}
	if err != nil {
		return nil, fmt.Errorf("opening the event buffer: %w", err)
	}
	return r, nil
}

// defaultPerCPUBytes sizes each CPU's perf buffer: 8 MiB shared by all
// CPUs, but from 256 KiB to 1 MiB each (a power of two). Few CPUs get big
// buffers, so that a burst on one CPU waits out a reader that is itself
// waiting for a CPU; many CPUs do not pin too much memory.
func defaultPerCPUBytes(cpus int) int {
	size := 1 << 20
	for size > 256<<10 && size*max(cpus, 1) > 8<<20 {
		size /= 2
	}
	return size
}

// perfWatermark is an eighth of a per-CPU buffer of size bytes (rounded
// up to pages, as the kernel does), and at least one byte.
func perfWatermark(size int) int {
	page := os.Getpagesize()
	size = (size + page - 1) / page * page
	return max(size/8, 1)
}

// errTimeout is returned by next when the deadline passed with no event.
var errTimeout = os.ErrDeadlineExceeded

// next returns the next sample; the slice is valid until the next call.
func (r *Reader) next(deadline time.Time) ([]byte, error) {
	if r.rb != nil {
		return r.rb.read(deadline)
	}
	r.pr.SetDeadline(deadline)
	for {
		if err := r.pr.ReadInto(&r.prRec); err != nil {
			return nil, err
		}
		if r.prRec.LostSamples > 0 {
			r.perfLost += r.prRec.LostSamples
			continue
		}
		return r.prRec.RawSample, nil
	}
}

// Lost is the number of events the kernel could not deliver so far.
//
// When the BPF side counts failed outputs, that count is exact and is the
// answer: a full perf buffer both fails bpf_perf_event_output and adds to
// perf's own lost records, so adding the two would count twice, and perf
// only reports its count once there is room for the record again.
func (r *Reader) Lost() uint64 {
	total, ok := r.lost.total()
	if !ok {
		return r.perfLost
	}
	return max(total, r.perfLost)
}

// Close stops reading; a blocked Loop returns.
func (r *Reader) Close() error {
	if r.rb != nil {
		return r.rb.shutdown()
	}
	return r.pr.Close()
}

// countForStats adds what the loop handled and saw lost to --stats.
func (r *Reader) countForStats() {
	lost := r.Lost()
	cost.CountEvents(r.handled, lost-min(lost, r.lostSeen))
	now := heapAllocs()
	cost.CountAllocs(now - min(now, r.allocsAt))
	r.handled, r.lostSeen, r.allocsAt = 0, max(lost, r.lostSeen), now
}

// Loop calls handle for every sample until ctx is done or handle fails.
// Every tick (and when the buffer is idle) it calls idle, if set, and
// reports newly lost events on stderr prefixed with tool. At the end it
// drains what is already buffered and reports the total lost.
//
// The kernel wakes the reader only when a buffer passes its fill mark, so
// the tick is also how long an event of a quiet stream can wait.
func (r *Reader) Loop(ctx context.Context, tool string, stderr io.Writer, idle func(), handle func([]byte) error) error {
	const tick = 50 * time.Millisecond
	reported := uint64(0)
	var line []byte
	report := func(final bool) {
		lost := r.Lost()
		switch {
		case final && lost > 0:
			fmt.Fprintf(stderr, "%s: %d events lost in total (the kernel could not deliver them)\n", tool, lost)
		case !final && lost > reported:
			// Not fmt: this runs every second of a flood, and fmt's
			// code and type data would come back after the trim.
			line = append(append(line[:0], tool...), ": "...)
			line = strconv.AppendUint(line, lost-reported, 10)
			line = append(line, " events lost (the kernel could not deliver them; "...)
			line = strconv.AppendUint(line, lost, 10)
			line = append(line, " in total)\n"...)
			stderr.Write(line)
		}
		reported = lost
	}
	defer r.countForStats()
	// Set up: what the tool dropped after load (kernel BTF it consulted,
	// its spec) and the start-up code need not stay resident. Not for a
	// final drain (ctx already done): the process is about to end.
	//
	// Everything the loop runs after the trim faults its code back in, 64
	// KiB at a time: the lost count's first lookup and the allocation
	// baseline (runtime/metrics) come before it. The baseline then
	// includes the trim's own few allocations (--stats is an upper bound).
	r.Lost()
	r.allocsAt = heapAllocs()
	if ctx.Err() == nil {
		memtrim.All()
	}
	lastReport := time.Now()
	// Once the start has settled (the flush loop's first timer, the
	// attach probes' links closed in the background), the executable is
	// unmapped again: what those ran after the trim above stayed
	// resident, 0.3-1.5 MiB of tcpconnect's one second in.
	settleAt, settled := time.Now().Add(settleAfter), false
	for {
		done := ctx.Err() != nil
		deadline := time.Now().Add(tick)
		if done {
			deadline = time.Now() // drain only what is already there
		}
		sample, err := r.next(deadline)
		switch {
		case err == nil:
			r.handled++
			if err := handle(sample); err != nil {
				return err
			}
			if time.Since(lastReport) < time.Second {
				continue
			}
		case err == errTimeout || errors.Is(err, errTimeout): // == first: errors.Is runs reflection code
			if done {
				if idle != nil {
					idle()
				}
				report(true)
				return nil
			}
		case errors.Is(err, os.ErrClosed), errors.Is(err, perf.ErrClosed):
			report(true)
			return nil
		default:
			return fmt.Errorf("reading events: %w", err)
		}
		if idle != nil {
			idle()
		}
		if !settled && !done && time.Now().After(settleAt) {
			memtrim.Code()
			settled = true
		}
		// The lost count is a map lookup: once a second is enough, and
		// keeps an idle stream's ticks cheap.
		if time.Since(lastReport) >= time.Second {
			report(false)
			lastReport = time.Now()
		}
	}
}

// settleAfter is when, after the loop starts, the start's last code has run.
const settleAfter = 300 * time.Millisecond

var allocsSamples = []metrics.Sample{{Name: "/gc/heap/allocs:objects"}, {Name: "/gc/heap/tiny/allocs:objects"}}

// heapAllocs is the number of Go heap allocations the process made so far
// (cumulative counters of the runtime: objects, and the tiny ones packed
// into shared blocks). The runtime counts a span's free slots as it hands
// the span out, so the figure moves in steps, never missing a steady
// stream of allocations.
func heapAllocs() uint64 {
	metrics.Read(allocsSamples)
	var n uint64
	for _, s := range allocsSamples {
		if s.Value.Kind() == metrics.KindUint64 {
			n += s.Value.Uint64()
		}
	}
	return n
}
