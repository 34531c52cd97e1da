package main

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// aggregation: tools that count in BPF maps and print a summary, so the
// cost is all in the kernel, per traced event.
func (b *bench) aggregation() {
	b.runqlat()
	b.countOpens()
	if !b.hasApplet("biolatency") {
		b.add(Row{Workload: "aggregation", Tool: "biolatency", Tracer: "probebox", Status: "absent", Figure: "added CPU ns/event",
			Note: "biolatency is not in this probebox yet; loop-device I/O workload not run"})
	} else {
		b.add(Row{Workload: "aggregation", Tool: "biolatency", Tracer: "probebox", Status: "skipped", Figure: "added CPU ns/event",
			Note: "the loop-device I/O workload is not written yet"})
	}
}

// runqlat under a pipe ping-pong between two threads: every round trip is
// two wake-ups and context switches. runqlat traces the whole system, as
// it is usually run.
func (b *bench) runqlat() {
	const wl = "aggregation: context switches"
	n := strconv.Itoa(b.cfg.Switches)
	base, bs, err := b.baseline("pingpong", n)
	if err != nil {
		b.add(Row{Workload: wl, Tool: "runqlat", Tracer: "none", Status: "failed", Note: err.Error()})
		return
	}
	b.add(Row{Workload: wl, Tool: "pipe ping-pong", Tracer: "none", Status: "ok", Figure: "CPU ns per round trip", Value: base, Unit: "ns",
		Events: bs.Produced, PerSecond: bs.rate(), Note: fmt.Sprintf("%.1f context switches per round trip", float64(bs.CSW)/float64(bs.Produced))})
	ts := []tracer{{Name: "probebox", Argv: []string{b.cfg.Probebox, "runqlat"}, lost: probeboxLost}}
	if p := b.peer("runqlat"); p != "" {
		ts = append(ts, tracer{Name: "libbpf-tools", Argv: []string{p}, lost: peerLost})
	}
	b.compare(wl, "runqlat", "pingpong", []string{n}, ts, "added CPU ns per round trip", func(added float64, s helperStats) string {
		return fmt.Sprintf("%.0f ns per context switch of the loop", added*float64(s.Produced)/float64(max(s.CSW, 1)))
	})
}

// countOpens: a bpftrace one-liner counting opens in a map, run by
// probebox's trace and by bpftrace.
func (b *bench) countOpens() {
	const wl = "aggregation: count opens"
	n := strconv.Itoa(b.cfg.Count)
	prog := `tracepoint:syscalls:sys_enter_openat /pid == $PID/ { @opens = count(); }`
	mk := func(name string, argv ...string) tracer {
		return tracer{Name: name, Argv: argv, lost: peerLost}
	}
	ts := []tracer{mk("probebox", b.cfg.Probebox, "trace", "-e", prog)}
	if p := b.peer("bpftrace"); p != "" {
		ts = append(ts, mk("bpftrace", p, "-e", prog))
	}
	b.compare(wl, "trace", "openloop", []string{n, b.target}, ts, "added CPU ns/event", nil)
}

// compare runs mode under each tracer, and adds a row per
// tracer with the added cost per produced event; probebox's row gets the
// ratio to the peer (the second tracer). $PID in argv is the helper's pid.
func (b *bench) compare(wl, tool, mode string, args []string, ts []tracer, figure string, note func(float64, helperStats) string) {
	pbx, peer := -1, -1
	for _, t := range ts {
		added, res, err := b.paired(mode, args, func() (openResult, error) {
			w, err := startWorkload(mode, args...)
			if err != nil {
				return openResult{}, err
			}
			t := t
			t.Argv = substPID(t.Argv, w.Pid)
			return b.traceOnce(w, t)
		})
		if err != nil {
			b.add(Row{Workload: wl, Tool: tool, Tracer: t.Name, Status: "failed", Figure: figure, Note: err.Error()})
			continue
		}
		r := Row{Workload: wl, Tool: tool, Tracer: t.Name, Status: "ok", Figure: figure, Value: added, Unit: "ns",
			Events: res.stats.Produced, PerSecond: res.stats.rate(), CPUms: float64(res.cpu) / 1e6, Note: b.runsNote()}
		if note != nil {
			r.Note += "; " + note(added, res.stats)
		}
		b.add(r)
		switch {
		case t.Name == "probebox":
			pbx = b.last()
		case peer < 0:
			peer = b.last()
		}
	}
	b.compareRows(pbx, peer, true)
}

// traceOnce runs a started helper under t (output to a file).
func (b *bench) traceOnce(w *workload, t tracer) (openResult, error) {
	r, err := start(t, filepath.Join(b.dir, "out"), filepath.Join(b.dir, "stderr"))
	if err != nil {
		w.abort()
		return openResult{}, err
	}
	stats, err := w.run()
	if err != nil {
		r.kill()
		return openResult{}, err
	}
	cpu, err := r.stop()
	return openResult{stats: stats, cpu: cpu}, err
}

func substPID(argv []string, pid int) []string {
	out := make([]string, len(argv))
	for i, a := range argv {
		out[i] = strings.ReplaceAll(a, "$PID", strconv.Itoa(pid))
	}
	return out
}
