package exporter

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/probebox/probebox/core/cost"
)

// guard is --max-cpu for the exporter: every second it compares each
// running collector's BPF run time over the last seconds (core/cost's
// window) with the limit, and detaches a collector that used more. That
// collector then reports probebox_collector_up 0 and
// probebox_collector_max_cpu_exceeded 1; the others keep collecting. The
// exporter's own CPU (scrapes) is not any one collector's: it is in
// process_cpu_seconds_total, and is not judged.
func (s *set) guard(ctx context.Context, log io.Writer) {
	for _, c := range s.collectors {
		if c.obj != nil {
			c.window = cost.NewWindow(float64(s.maxCPU))
		}
	}
	tick := time.NewTicker(cost.CheckEvery)
	defer tick.Stop()
	s.check(log) // the windows' first samples
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			s.check(log)
		}
	}
}

// check takes one sample of every running collector.
func (s *set) check(log io.Writer) {
	for _, c := range s.collectors {
		c.mu.Lock()
		if c.obj != nil && c.window != nil {
			ns, runs := c.runTime()
			pct, _, _, span, over := c.window.Add(time.Now(), time.Duration(ns), 0)
			if over {
				c.stopped = fmt.Sprintf("--max-cpu %d: its BPF programs used %.1f%% of one CPU over the last %.1f s, over the limit of %d%%; detached",
					s.maxCPU, pct, span.Seconds(), s.maxCPU)
				c.finalNs, c.finalRuns = ns, runs
				c.obj.Close()
				c.obj = nil
				c.err = fmt.Errorf("%s", c.stopped)
				fmt.Fprintf(log, "exporter: %s: %s (probebox_collector_up 0; the other collectors go on)\n", c.kind.name, c.stopped)
			}
		}
		c.mu.Unlock()
	}
}
