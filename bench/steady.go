package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"time"
)

// steadyRate is the open loop's pace under the steady flood: the rate the
// paced no-loss run holds.
const steadyRate = 500_000

var (
	statsHandledRe = regexp.MustCompile(`(\d+) events handled, (\d+) lost`)
	statsAllocsRe  = regexp.MustCompile(`(\d+) Go heap allocations while streaming`)
)

// steady: opensnoop -p --stats under a long flood (b.cfg.SteadyFor of
// 500,000 opens/s, or as many as the loop gets), its resident memory read
// every second. Memory must stay flat (the mean of the first and of the
// last ten seconds within 10 %), the stream must make no Go heap
// allocations per event, and delivered + lost must equal produced.
func (b *bench) steady() {
	const wl = "steady flood"
	count := int(float64(steadyRate) * b.cfg.SteadyFor.Seconds())
	w, err := startWorkload("openloop", strconv.Itoa(count), b.target, strconv.Itoa(steadyRate), strconv.FormatInt(b.cfg.SteadyFor.Milliseconds(), 10))
	if err != nil {
		b.add(Row{Workload: wl, Tool: "opensnoop", Tracer: "probebox", Status: "failed", Figure: "RSS drift", Note: err.Error()})
		return
	}
	t := tracer{Name: "probebox", Argv: []string{b.cfg.Probebox, "opensnoop", "--stats", "-p", strconv.Itoa(w.Pid)}}
	r, err := start(t, os.DevNull, filepath.Join(b.dir, "stderr"))
	if err != nil {
		w.abort()
		b.add(Row{Workload: wl, Tool: "opensnoop", Tracer: "probebox", Status: "failed", Figure: "RSS drift", Note: err.Error()})
		return
	}
	pid := r.cmd.Process.Pid
	stop, sampled := make(chan struct{}), make(chan []int64)
	go func() {
		var kb []int64
		tick := time.NewTicker(steadyEvery(b.cfg.SteadyFor))
		defer tick.Stop()
		for {
			select {
			case <-stop:
				sampled <- kb
				return
			case <-tick.C:
				kb = append(kb, rssKB(pid))
			}
		}
	}()
	stats, err := w.run()
	close(stop)
	samples := <-sampled
	if err != nil {
		r.kill()
		b.add(Row{Workload: wl, Tool: "opensnoop", Tracer: "probebox", Status: "failed", Figure: "RSS drift", Note: err.Error()})
		return
	}
	r.drain()
	cpu, err := r.stop()
	if err != nil {
		b.add(Row{Workload: wl, Tool: "opensnoop", Tracer: "probebox", Status: "failed", Figure: "RSS drift", Note: err.Error()})
		return
	}
	errOut := r.stderr()
	handled, lost, okCounts := statsPair(statsHandledRe, errOut)
	base := Row{Workload: wl, Tool: "opensnoop", Tracer: "probebox", Status: "ok", Events: stats.Produced, PerSecond: stats.rate(),
		CPUms: float64(cpu) / 1e6, BPFPerEvent: openResult{stats: stats, bpfNs: r.bpfNs, bpfRuns: r.bpfRuns}.bpfPerEvent()}
	if okCounts {
		base.Delivered, base.Lost = ptr(handled), ptr(lost)
	}

	first, last, n := windowMeans(samples, int(10*time.Second/steadyEvery(b.cfg.SteadyFor)))
	drift := base
	drift.Figure, drift.Unit = "RSS last vs first window", "%"
	if n == 0 {
		drift.Status, drift.Note = "failed", fmt.Sprintf("only %d RSS samples", len(samples))
	} else {
		drift.Value = 100 * (last - first) / first
		drift.Target, drift.Met = "within ±10 %", ptr(drift.Value <= 10 && drift.Value >= -10)
		drift.Note = fmt.Sprintf("mean RSS %.1f MiB over the first %d s, %.1f MiB over the last %d s; %d s in all; output to /dev/null",
			first/1024, n, last/1024, n, len(samples))
	}
	b.add(drift)

	allocs := base
	allocs.Figure, allocs.Unit = "Go heap allocations", "per event"
	m := statsAllocsRe.FindStringSubmatch(errOut)
	switch {
	case m == nil || !okCounts:
		allocs.Status, allocs.Note = "failed", "no --stats account on stderr: "+tail(errOut, 200)
	default:
		a, _ := strconv.ParseInt(m[1], 10, 64)
		allocs.Value = float64(a) / float64(max(handled, 1))
		allocs.Target, allocs.Met = "0 (< 0.001)", ptr(allocs.Value < 0.001)
		allocs.Note = fmt.Sprintf("%d allocations (whole process) over %d events handled; delivered + lost = produced: %v",
			a, handled, handled+lost == stats.Produced)
	}
	b.add(allocs)
}

// statsPair reads two counts from the first match of re.
func statsPair(re *regexp.Regexp, s string) (a, b int64, ok bool) {
	m := re.FindStringSubmatch(s)
	if m == nil {
		return 0, 0, false
	}
	a, _ = strconv.ParseInt(m[1], 10, 64)
	b, _ = strconv.ParseInt(m[2], 10, 64)
	return a, b, true
}

// windowMeans is the mean of the first and of the last n samples (n
// shrinks to a third of the samples for short runs); n is 0 when there are
// fewer than three.
// steadyEvery is how often the steady flood's RSS is read: every second,
// or often enough for 30 readings in a short (smoke) run, whose last
// second-tick raced the flood's end.
func steadyEvery(d time.Duration) time.Duration {
	return max(10*time.Millisecond, min(time.Second, d/30))
}

func windowMeans(kb []int64, n int) (first, last float64, used int) {
	n = min(n, len(kb)/3)
	if n == 0 {
		return 0, 0, 0
	}
	mean := func(xs []int64) float64 {
		var s int64
		for _, x := range xs {
			s += x
		}
		return float64(s) / float64(len(xs))
	}
	return mean(kb[:n]), mean(kb[len(kb)-n:]), n
}
