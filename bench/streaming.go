package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// streamTracer builds a tracer for the helper with the given pid.
type streamTracer func(pid int) tracer

// openTracers: opensnoop -p PID from probebox and libbpf-tools, and the
// nearest bpftrace one-liner (an event per open with pid, comm and path).
func (b *bench) openTracers() []streamTracer {
	ts := []streamTracer{func(pid int) tracer {
		return tracer{Name: "probebox", Argv: []string{b.cfg.Probebox, "opensnoop", "-p", strconv.Itoa(pid)}, lost: probeboxLost}
	}}
	if p := b.peer("opensnoop"); p != "" {
		ts = append(ts, func(pid int) tracer {
			return tracer{Name: "libbpf-tools", Argv: []string{p, "-p", strconv.Itoa(pid)}, lost: peerLost}
		})
	}
	if p := b.peer("bpftrace"); p != "" {
		ts = append(ts, func(pid int) tracer {
			prog := fmt.Sprintf(`tracepoint:syscalls:sys_enter_openat /pid == %d/ { printf("%%d %%s %%s\n", pid, comm, str(args->filename)); }`, pid)
			return tracer{Name: "bpftrace", Argv: []string{p, "-e", prog}, lost: peerLost}
		})
	}
	return ts
}

// openResult is one traced run of the open loop.
type openResult struct {
	stats          helperStats
	delivered      *int64
	lost           int64
	cpu            time.Duration
	bpfNs, bpfRuns int64
}

// bpfPerRun is the mean run time of the tracer's BPF programs, 0 unknown.
func (o openResult) bpfPerRun() float64 {
	if o.bpfRuns == 0 {
		return 0
	}
	return float64(o.bpfNs) / float64(o.bpfRuns)
}

// bpfPerEvent is BPF run time per event the workload produced.
func (o openResult) bpfPerEvent() float64 {
	if o.bpfRuns == 0 || o.stats.Produced == 0 {
		return 0
	}
	return float64(o.bpfNs) / float64(o.stats.Produced)
}

// runOpenLoop runs the open loop of count calls (at rate per second when
// rate > 0) traced by st, output to sink ("/dev/null" or a file).
func (b *bench) runOpenLoop(st streamTracer, env []string, count, rate int, sink string) (openResult, error) {
	args := []string{strconv.Itoa(count), b.target}
	if rate > 0 {
		args = append(args, strconv.Itoa(rate))
	}
	w, err := startWorkload("openloop", args...)
	if err != nil {
		return openResult{}, err
	}
	t := st(w.Pid)
	t.Env = append(t.Env, env...)
	r, err := start(t, sink, filepath.Join(b.dir, "stderr"))
	if err != nil {
		w.abort()
		return openResult{}, err
	}
	stats, err := w.run()
	if err != nil {
		r.kill()
		return openResult{}, err
	}
	r.drain()
	cpu, err := r.stop()
	if err != nil {
		return openResult{}, err
	}
	out := r.stdout()
	res := openResult{stats: stats, lost: t.lost(out + r.stderr()), cpu: cpu, bpfNs: r.bpfNs, bpfRuns: r.bpfRuns}
	if sink != os.DevNull {
		n := int64(strings.Count(out, b.target))
		res.delivered = &n
	}
	return res, nil
}

// paired runs the helper untraced and then traced, b.cfg.Runs times, and
// returns the median of the differences in CPU time per event, and the
// last traced run. Pairs follow the machine's load as it drifts.
func (b *bench) paired(mode string, args []string, traced func() (openResult, error)) (float64, openResult, error) {
	var diffs []float64
	var last openResult
	for i := 0; i < max(b.cfg.Runs, 1); i++ {
		base, err := runUntraced(mode, args...)
		if err != nil {
			return 0, last, err
		}
		if last, err = traced(); err != nil {
			return 0, last, err
		}
		diffs = append(diffs, last.stats.cpuPer()-base.cpuPer())
	}
	sort.Float64s(diffs)
	return diffs[len(diffs)/2], last, nil
}

func (b *bench) runsNote() string {
	if b.cfg.Runs <= 1 {
		return "one run"
	}
	return fmt.Sprintf("median of %d paired runs", b.cfg.Runs)
}

// baseline is the median untraced cost per event of a helper mode.
func (b *bench) baseline(mode string, args ...string) (float64, helperStats, error) {
	var per []float64
	var last helperStats
	for i := 0; i < 3; i++ {
		s, err := runUntraced(mode, args...)
		if err != nil {
			return 0, s, err
		}
		per = append(per, float64(s.CPU)/float64(s.Produced))
		last = s
	}
	sort.Float64s(per)
	return per[1], last, nil
}

func (b *bench) streaming() {
	const wl = "streaming"
	base, bs, err := b.baseline("openloop", strconv.Itoa(b.cfg.Count), b.target)
	if err != nil {
		b.add(Row{Workload: wl, Tool: "opensnoop", Tracer: "none", Status: "failed", Note: err.Error()})
		return
	}
	b.add(Row{Workload: wl, Tool: "open loop", Tracer: "none", Status: "ok", Figure: "CPU ns per open+close", Value: base, Unit: "ns",
		Events: bs.Produced, PerSecond: bs.rate()})
	for _, sink := range []string{os.DevNull, filepath.Join(b.dir, "out")} {
		name := wl + " → " + map[bool]string{true: "/dev/null", false: "file"}[sink == os.DevNull]
		pbx, peer := -1, -1
		for _, st := range b.openTracers() {
			added, res, err := b.paired("openloop", []string{strconv.Itoa(b.cfg.Count), b.target}, func() (openResult, error) {
				return b.runOpenLoop(st, nil, b.cfg.Count, 0, sink)
			})
			tr := st(0).Name
			if err != nil {
				b.add(Row{Workload: name, Tool: "opensnoop", Tracer: tr, Status: "failed", Figure: "added CPU ns/event", Note: err.Error()})
				continue
			}
			row := Row{Workload: name, Tool: "opensnoop", Tracer: tr, Status: "ok", Figure: "added CPU ns/event", Value: added, Unit: "ns",
				Events: res.stats.Produced, PerSecond: res.stats.rate(), Note: b.runsNote(), BPFPerEvent: res.bpfPerEvent(), Delivered: res.delivered, Lost: ptr(res.lost),
				CPUms: float64(res.cpu) / 1e6}
			if tr == "bpftrace" {
				row.Tool = "printf one-liner"
			}
			if tr == "probebox" && sink == os.DevNull {
				row.Target = "≤ 1000 ns"
				row.Met = ptr(row.Value <= 1000)
			}
			b.add(row)
			switch tr {
			case "probebox":
				pbx = b.last()
			case "libbpf-tools":
				peer = b.last()
			}
		}
		b.compareRows(pbx, peer, false)
	}
	b.paced()
}

// paced: probebox at a steady 500,000 opens/s (or as close as the loop
// gets) must lose nothing.
func (b *bench) paced() {
	const rate = 500_000
	for _, env := range [][]string{nil, {"PROBEBOX_DISABLE=ringbuf"}} {
		name := "no loss at 500k/s"
		if env != nil {
			name += " (perf buffer)"
		}
		res, err := b.runOpenLoop(b.openTracers()[0], env, b.cfg.Count, rate, filepath.Join(b.dir, "out"))
		if err != nil {
			b.add(Row{Workload: name, Tool: "opensnoop", Tracer: "probebox", Status: "failed", Figure: "lost events", Note: err.Error()})
			continue
		}
		rateGot := res.stats.rate()
		ok := res.lost == 0 && res.delivered != nil && *res.delivered == res.stats.Produced
		note := ""
		if rateGot < rate*0.9 {
			note = "the traced loop could not reach 500k/s"
		}
		b.add(Row{Workload: name, Tool: "opensnoop", Tracer: "probebox", Status: "ok", Figure: "lost events", Value: float64(res.lost), Unit: "",
			Events: res.stats.Produced, PerSecond: rateGot, Delivered: res.delivered, Lost: ptr(res.lost), CPUms: float64(res.cpu) / 1e6,
			Target: "0 lost, all delivered", Met: ptr(ok), Note: note})
	}
}
