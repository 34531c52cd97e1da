package main

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// btToolsDir is where Debian's bpftrace package installs its tools.
const btToolsDir = "/usr/sbin"

// btTools: bpftrace's own tools under probebox trace and under bpftrace.
// Each tool both start here: time to ready, median (target: at or below
// bpftrace's, +5%). syscount.bt: RSS one second after ready (target: a
// quarter of bpftrace's or less) and BPF time per program run under the
// open loop (target: at or below bpftrace's, +5%).
func (b *bench) btTools() {
	const wl = "bpftrace tools"
	files, _ := filepath.Glob(filepath.Join(btToolsDir, "*.bt"))
	if len(files) == 0 || !b.hasApplet("trace") {
		b.add(Row{Workload: wl, Tool: "*.bt", Tracer: "probebox", Status: "absent", Figure: "time to ready", Note: "no " + btToolsDir + "/*.bt here (Debian's bpftrace package), or no trace applet"})
		return
	}
	bt := b.peer("bpftrace")
	runs := min(b.cfg.StartupRuns, 3)
	var compared, met int
	var behind []string
	started := 0
	for _, f := range files {
		if bt == "" && started == 2 {
			break // nothing to compare with: two that start show the path works
		}
		name := filepath.Base(f)
		var theirs []time.Duration
		if bt != "" {
			var err error
			if theirs, _, _, err = timeToReady([]string{bt, f}, runs, 0); err != nil {
				b.log("%s: bpftrace does not start it here (%v): not compared", name, err)
				continue
			}
		}
		ours, _, _, err := timeToReady([]string{b.cfg.Probebox, "trace", f}, runs, 0)
		switch {
		case err != nil && strings.Contains(err.Error(), "in their place"):
			// No kprobes and no fentry (this VM): trace refuses in one
			// line ("... nor fentry in their place", what the error's
			// tail keeps); bpftrace prints its line and runs with nothing
			// attached.
			b.add(Row{Workload: wl, Tool: name, Tracer: "probebox", Status: "absent", Figure: "time to ready", Note: "its probes cannot attach on this kernel (trace refuses; bpftrace runs with nothing attached)"})
			continue
		case err != nil:
			b.add(Row{Workload: wl, Tool: name, Tracer: "probebox", Status: "failed", Figure: "time to ready", Note: err.Error()})
			continue
		}
		started++
		r := Row{Workload: wl, Tool: name, Tracer: "probebox", Status: "ok", Figure: "time to ready (median)", Value: ms(ours[len(ours)/2]), Unit: "ms",
			Note: fmt.Sprintf("runs: %d", len(ours))}
		if theirs != nil {
			t := ms(theirs[len(theirs)/2])
			r.VsPeer = r.Value / t
			r.Target, r.Met = "≤ bpftrace (+5%)", ptr(r.Value <= t*1.05)
			r.Note += fmt.Sprintf("; bpftrace %.0f ms (prints its line before attaching)", t)
			compared++
			if *r.Met {
				met++
			} else {
				behind = append(behind, name)
			}
		}
		b.add(r)
	}
	if compared > 0 {
		note := "all of them"
		if len(behind) > 0 {
			note = "behind: " + strings.Join(behind, ", ")
		}
		b.add(Row{Workload: wl, Tool: "every .bt both start", Tracer: "probebox", Status: "ok", Figure: "tools at or below bpftrace's time to ready", Value: float64(met), Unit: "of " + strconv.Itoa(compared),
			Target: "all", Met: ptr(met == compared), Note: note})
	}
	b.btSyscount(wl, bt)
}

// btSyscount: syscount.bt's memory after a second, and its BPF time
// under the open loop, under both.
func (b *bench) btSyscount(wl, bt string) {
	file := filepath.Join(btToolsDir, "syscount.bt")
	argvs := []struct {
		tracer string
		argv   []string
	}{{"probebox", []string{b.cfg.Probebox, "trace", file}}}
	if bt != "" {
		argvs = append(argvs, struct {
			tracer string
			argv   []string
		}{"bpftrace", []string{bt, file}})
	}
	rss := map[string]float64{}
	for _, a := range argvs {
		_, kb, _, err := timeToReady(a.argv, 1, b.cfg.RSSAfter)
		if err != nil {
			b.add(Row{Workload: wl, Tool: "syscount.bt", Tracer: a.tracer, Status: "failed", Figure: "RSS", Note: err.Error()})
			continue
		}
		rss[a.tracer] = float64(kb) / 1024
	}
	if v, ok := rss["probebox"]; ok {
		r := Row{Workload: wl, Tool: "syscount.bt", Tracer: "probebox", Status: "ok", Figure: "RSS after " + b.cfg.RSSAfter.String(), Value: v, Unit: "MiB"}
		if p, ok := rss["bpftrace"]; ok && p > 0 {
			r.VsPeer = v / p
			r.Target, r.Met = "≤ 25% of bpftrace", ptr(v <= p/4)
			r.Note = fmt.Sprintf("bpftrace %.1f MiB", p)
		}
		b.add(r)
	}
	ts := []tracer{{Name: "probebox", Argv: argvs[0].argv, lost: peerLost}}
	if bt != "" {
		ts = append(ts, tracer{Name: "bpftrace", Argv: argvs[1].argv, lost: peerLost})
	}
	b.compare(wl, "syscount.bt", "openloop", []string{strconv.Itoa(b.cfg.Count), b.target}, ts, false, nil)
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }
