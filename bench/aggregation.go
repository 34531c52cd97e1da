package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// aggregation: tools that count in BPF maps and print a summary, so the
// cost is all in the kernel, per traced event.
func (b *bench) aggregation() {
	b.runqlat()
	b.countOpens()
	b.biolatency()
	b.exporter()
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
	b.compare(wl, "runqlat", "pingpong", []string{n}, ts, false, func(added float64, s helperStats) string {
		return fmt.Sprintf("%.0f ns per context switch of the loop", added*float64(s.Produced)/float64(max(s.CSW, 1)))
	})
}

// biolatency under direct 4 KiB reads from a loop device backed by a file
// in the bench's scratch directory; both tools filter on that disk (-d).
func (b *bench) biolatency() {
	const wl = "aggregation: block I/O"
	fail := func(status, note string) {
		b.add(Row{Workload: wl, Tool: "biolatency", Tracer: "probebox", Status: status, Figure: "BPF ns", Note: note})
	}
	if !b.hasApplet("biolatency") {
		fail("absent", "biolatency is not in this probebox yet")
		return
	}
	dev, cleanup, err := loopDevice(filepath.Join(b.dir, "disk.img"), 64<<20)
	if err != nil {
		fail("skipped", "no loop device: "+err.Error())
		return
	}
	defer cleanup()
	disk := filepath.Base(dev)
	n := strconv.Itoa(b.cfg.IOs)
	ts := []tracer{{Name: "probebox", Argv: []string{b.cfg.Probebox, "biolatency", "-d", disk}, lost: probeboxLost}}
	if p := b.peer("biolatency"); p != "" {
		ts = append(ts, tracer{Name: "libbpf-tools", Argv: []string{p, "-d", disk}, lost: peerLost})
	}
	b.compare(wl, "biolatency", "bioread", []string{n, dev}, ts, false, nil)
}

// loopDevice attaches a new sparse file of size bytes to a free loop
// device (losetup, from util-linux) and returns it and how to detach it.
func loopDevice(file string, size int64) (string, func(), error) {
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		return "", nil, err
	}
	if err := os.Truncate(file, size); err != nil {
		return "", nil, err
	}
	out, err := exec.Command("losetup", "--find", "--show", file).Output()
	if err != nil {
		os.Remove(file)
		return "", nil, fmt.Errorf("losetup: %w", err)
	}
	dev := strings.TrimSpace(string(out))
	return dev, atInterrupt(func() {
		exec.Command("losetup", "-d", dev).Run()
		os.Remove(file)
	}), nil
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
	b.compare(wl, "trace", "openloop", []string{n, b.target}, ts, true, nil)
}

// compare runs mode under each tracer (paired with untraced runs) and adds
// a row per tracer. The figure is the run time of the tracer's BPF
// programs per produced event (perEvent) or per program run (system-wide
// tools), from the kernel's statistics: the in-kernel cost, free of the
// machine's noise; the added CPU time of the workload is in the note.
// Without statistics the added CPU time is the figure. probebox's row gets
// the ratio to the peer (the second tracer). $PID in argv is the helper's
// pid.
func (b *bench) compare(wl, tool, mode string, args []string, ts []tracer, perEvent bool, note func(float64, helperStats) string) {
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
			b.add(Row{Workload: wl, Tool: tool, Tracer: t.Name, Status: "failed", Figure: "BPF ns", Note: err.Error()})
			continue
		}
		unit := map[string]string{"openloop": "event", "pingpong": "round trip", "bioread": "read", "connloop": "session", "readloop": "read",
			"mallocloop": "malloc/free pair", "callloop": "call"}[mode]
		r := Row{Workload: wl, Tool: tool, Tracer: t.Name, Status: "ok", Events: res.stats.Produced, PerSecond: res.stats.rate(),
			CPUms: float64(res.cpu) / 1e6, BPFPerRun: res.bpfPerRun(),
			Note: fmt.Sprintf("added CPU %.0f ns per %s (%s)", added, unit, b.runsNote())}
		switch {
		case perEvent && res.bpfRuns > 0:
			r.BPFPerEvent = res.bpfPerEvent()
			r.Figure, r.Value, r.Unit = "BPF ns per event", r.BPFPerEvent, "ns"
		case res.bpfRuns > 0:
			r.Figure, r.Value, r.Unit = "BPF ns per program run", r.BPFPerRun, "ns"
		default:
			r.Figure, r.Value, r.Unit = "added CPU ns per "+unit, added, "ns"
		}
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
	return openResult{stats: stats, cpu: cpu, bpfNs: r.bpfNs, bpfRuns: r.bpfRuns}, err
}

func substPID(argv []string, pid int) []string {
	out := make([]string, len(argv))
	for i, a := range argv {
		out[i] = strings.ReplaceAll(a, "$PID", strconv.Itoa(pid))
	}
	return out
}
