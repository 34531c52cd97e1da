package main

import (
	"fmt"
	"path/filepath"
	"strconv"
)

// flood: a burst of opens far above what the reader drains, into a small
// buffer; every event must be either delivered or reported lost, exactly,
// in every run, on both the ring buffer and the perf buffer paths.
func (b *bench) flood() {
	size := strconv.Itoa(b.cfg.FloodBuffer)
	type variant struct {
		name string
		env  []string
		st   streamTracer
	}
	ts := b.openTracers()
	vs := []variant{
		{"flood (ring buffer)", []string{"PROBEBOX_BUFFER_BYTES=" + size}, ts[0]},
		{"flood (perf buffer)", []string{"PROBEBOX_DISABLE=ringbuf", "PROBEBOX_BUFFER_BYTES=" + size}, ts[0]},
	}
	if len(ts) > 1 && ts[1](0).Name == "libbpf-tools" {
		vs = append(vs, variant{"flood (its defaults)", nil, ts[1]})
	}
	for _, v := range vs {
		tr := v.st(0).Name
		equal, runs := 0, 0
		var last openResult
		var failure error
		for i := 0; i < b.cfg.FloodRuns; i++ {
			res, err := b.runOpenLoop(v.st, v.env, b.cfg.FloodCount, 0, filepath.Join(b.dir, "out"))
			if err != nil {
				failure = err
				break
			}
			runs++
			last = res
			if res.delivered != nil && *res.delivered+res.lost == res.stats.Produced {
				equal++
			}
		}
		if failure != nil {
			b.add(Row{Workload: v.name, Tool: "opensnoop", Tracer: tr, Status: "failed", Figure: "delivered + lost = produced", Note: failure.Error()})
			continue
		}
		row := Row{Workload: v.name, Tool: "opensnoop", Tracer: tr, Status: "ok", Figure: "runs with delivered + lost = produced",
			Value: float64(equal), Unit: fmt.Sprintf("of %d", runs), Events: last.stats.Produced,
			PerSecond: last.stats.rate(), Delivered: last.delivered, Lost: ptr(last.lost),
			CPUms: float64(last.cpu) / 1e6, Note: "figures of the last run"}
		if tr == "probebox" {
			row.Target = "every run"
			row.Met = ptr(equal == runs)
			row.Note += "; buffer " + size + " bytes"
		}
		b.add(row)
	}
}
