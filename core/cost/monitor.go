package cost

import (
	"fmt"
	"time"
)

// checkEvery is how often --max-cpu compares the cost with its limit;
// window is how far back the comparison looks (one check after start, two
// from then on): long enough that one busy moment of the tool's own (a
// summary being printed) does not stop it, short enough to stop a flood
// within about two seconds.
const (
	checkEvery = time.Second
	window     = 2
	// settle: the window starts this long after programs are attached.
	settle = 250 * time.Millisecond
)

// watch holds the last samples of cost, oldest first.
type watch struct {
	limit   float64 // percent of one CPU
	samples []sample
	settle  bool // the next sample starts the window
}

type sample struct {
	at  time.Time
	bpf time.Duration
	cpu time.Duration
}

// restart drops the samples: the next sample starts a new window (called
// when programs are attached; the monitor takes it a moment later), so
// neither loading nor the tool's first moments (buffers mapped, the header
// written, the heap regrown after the load's memory was returned) count
// against the limit. A flood is judged 1.25 s after attaching.
func (w *watch) restart() { w.samples, w.settle = w.samples[:0], true }

// add records a sample and returns the share of one CPU, in percent, used
// over the window, with its parts and length; ok is false until two
// samples exist.
func (w *watch) add(x sample) (pct, bpfPct, cpuPct float64, over time.Duration, ok bool) {
	if w.settle {
		w.settle = false
		w.samples = w.samples[:0]
	}
	w.samples = append(w.samples, x)
	if len(w.samples) > window+1 {
		w.samples = append(w.samples[:0], w.samples[len(w.samples)-window-1:]...)
	}
	if len(w.samples) < 2 {
		return 0, 0, 0, 0, false
	}
	first := w.samples[0]
	over = x.at.Sub(first.at)
	if over <= 0 {
		return 0, 0, 0, 0, false
	}
	bpfPct = 100 * float64(x.bpf-first.bpf) / float64(over)
	cpuPct = 100 * float64(x.cpu-first.cpu) / float64(over)
	return bpfPct + cpuPct, bpfPct, cpuPct, over, true
}

// monitor checks the cost every second until the session ends or the
// limit is passed. A check is a getrusage and one BPF_OBJ_GET_INFO_BY_FD
// per program: a few microseconds a second.
func (s *Session) monitor() {
	defer close(s.done)
	t := time.NewTimer(time.Hour)
	t.Stop() // nothing to measure before programs are attached
	for {
		select {
		case <-s.stop:
			t.Stop()
			return
		case <-s.attached:
			t.Reset(settle) // the first sample of the window
		case <-t.C:
			if s.check() {
				return
			}
			t.Reset(checkEvery)
		}
	}
}

// check takes a sample and, when the limit is passed, detaches
// everything, says so and ends the run. It reports whether it tripped.
func (s *Session) check() bool {
	bpf, _ := s.bpfTime()
	x := sample{at: time.Now(), bpf: bpf, cpu: ownCPU().total()}
	s.mu.Lock()
	if len(s.progs) == 0 {
		s.watch.samples = s.watch.samples[:0] // nothing attached yet: nothing to measure
		s.mu.Unlock()
		return false
	}
	pct, bpfPct, cpuPct, over, ok := s.watch.add(x)
	if !ok || pct <= s.watch.limit {
		s.mu.Unlock()
		return false
	}
	detaches := s.detaches
	s.tripped = fmt.Sprintf("%s: --max-cpu %d: used %.1f%% of one CPU over the last %.1f s (BPF %.1f%%, probebox %.1f%%), over the limit of %d%%; detached, stopping",
		s.opts.Tool, s.opts.MaxCPU, pct, over.Seconds(), bpfPct, cpuPct, s.opts.MaxCPU)
	line := s.tripped
	s.mu.Unlock()
	for _, d := range detaches {
		d()
	}
	if s.opts.Stderr != nil {
		fmt.Fprintln(s.opts.Stderr, line)
	}
	if s.opts.Tripped != nil {
		s.opts.Tripped()
	}
	return true
}
