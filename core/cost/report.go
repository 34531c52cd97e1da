package cost

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// Summary is the account of a run, as --stats prints it (its JSON form is
// the final object of a --json run, under "stats").
type Summary struct {
	WallSeconds float64 `json:"wall_seconds"`
	// EventsHandled and EventsLost are absent for tools that stream no
	// events (summary tools count in BPF maps).
	EventsHandled     *uint64 `json:"events_handled,omitempty"`
	EventsLost        *uint64 `json:"events_lost,omitempty"`
	MapInsertsRefused uint64  `json:"map_inserts_refused"`
	// HeapAllocs is the Go heap allocations made while streaming (whole
	// process); with EventsHandled, allocations per event.
	HeapAllocs *uint64 `json:"go_heap_allocs_while_streaming,omitempty"`
	// BPFRunCount and BPFRunNs total Programs; absent when Missing says
	// why the kernel would not give them.
	BPFRunCount *uint64          `json:"bpf_run_count,omitempty"`
	BPFRunNs    *uint64          `json:"bpf_run_time_ns,omitempty"`
	Programs    []ProgramSummary `json:"bpf_programs,omitempty"`
	CPUUserNs   uint64           `json:"probebox_cpu_user_ns"`
	CPUSystemNs uint64           `json:"probebox_cpu_system_ns"`
	// CPUShare is BPF run time plus probebox's CPU time over the wall
	// time, in percent of one CPU.
	CPUShare float64  `json:"cpu_percent_of_one_cpu"`
	Missing  []string `json:"missing,omitempty"`
	MaxCPU   string   `json:"max_cpu_stopped,omitempty"`
}

// ProgramSummary is one BPF program's share.
type ProgramSummary struct {
	Name     string  `json:"name"`
	RunCount uint64  `json:"run_count"`
	RunNs    uint64  `json:"run_time_ns"`
	NsPerRun float64 `json:"ns_per_run"`
}

// Summary reads the account now; call it before End.
func (s *Session) Summary() Summary {
	wall := time.Since(s.start)
	cpu := ownCPU()
	sum := Summary{
		WallSeconds:       wall.Seconds(),
		MapInsertsRefused: s.refused.Load(),
		CPUUserNs:         uint64(cpu.user - s.cpu0.user),
		CPUSystemNs:       uint64(cpu.system - s.cpu0.system),
		MaxCPU:            s.Tripped(),
	}
	if s.streamed.Load() {
		h, l := s.handled.Load(), s.lost.Load()
		a := s.allocs.Load()
		sum.EventsHandled, sum.EventsLost, sum.HeapAllocs = &h, &l, &a
	}
	used := time.Duration(sum.CPUUserNs + sum.CPUSystemNs)
	if s.missing != "" {
		sum.Missing = append(sum.Missing, "BPF run count and run time: "+s.missing)
	} else {
		var runs, ns uint64
		s.mu.Lock()
		for _, p := range s.progs {
			st, err := p.prog.Stats()
			if err != nil {
				sum.Missing = append(sum.Missing, "program "+p.name+": "+err.Error())
				continue
			}
			ps := ProgramSummary{Name: p.name, RunCount: st.RunCount, RunNs: uint64(st.Runtime)}
			if ps.RunCount > 0 {
				ps.NsPerRun = float64(ps.RunNs) / float64(ps.RunCount)
			}
			sum.Programs = append(sum.Programs, ps)
			runs += ps.RunCount
			ns += ps.RunNs
		}
		s.mu.Unlock()
		sort.Slice(sum.Programs, func(i, j int) bool { return sum.Programs[i].Name < sum.Programs[j].Name })
		sum.BPFRunCount, sum.BPFRunNs = &runs, &ns
		used += time.Duration(ns)
	}
	if wall > 0 {
		sum.CPUShare = 100 * float64(used) / float64(wall)
	}
	return sum
}

// WriteJSON writes {"stats":{...}} on one line.
func (sum Summary) WriteJSON(w io.Writer) error {
	b, err := json.Marshal(struct {
		Stats Summary `json:"stats"`
	}{sum})
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// WriteText writes the account as lines prefixed by the tool's name, for
// stderr.
func (sum Summary) WriteText(w io.Writer, tool string) error {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, tool+": stats: "+format+"\n", args...) }
	if sum.EventsHandled != nil {
		p("%d events handled, %d lost, %d map inserts refused", *sum.EventsHandled, *sum.EventsLost, sum.MapInsertsRefused)
		if sum.HeapAllocs != nil {
			p("%d Go heap allocations while streaming (%.3f per event)", *sum.HeapAllocs, perEvent(*sum.HeapAllocs, *sum.EventsHandled))
		}
	} else {
		p("events counted in BPF maps (none streamed), %d map inserts refused", sum.MapInsertsRefused)
	}
	for _, x := range sum.Programs {
		p("BPF %s: %d runs, %s, %.0f ns/run", x.Name, x.RunCount, dur(time.Duration(x.RunNs)), x.NsPerRun)
	}
	if sum.BPFRunCount != nil {
		p("BPF total: %d runs, %s", *sum.BPFRunCount, dur(time.Duration(*sum.BPFRunNs)))
	}
	p("probebox CPU: %s (user %s, system %s)", dur(time.Duration(sum.CPUUserNs+sum.CPUSystemNs)), dur(time.Duration(sum.CPUUserNs)), dur(time.Duration(sum.CPUSystemNs)))
	what := "BPF and probebox"
	if sum.BPFRunNs == nil {
		what = "probebox alone (BPF unknown)"
	}
	p("%s used %.2f%% of one CPU over %.2f s", what, sum.CPUShare, sum.WallSeconds)
	for _, m := range sum.Missing {
		p("missing: %s", m)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func perEvent(n, events uint64) float64 {
	if events == 0 {
		return 0
	}
	return float64(n) / float64(events)
}

// dur prints a duration in the unit that suits it: "1.234 s", "5.678 ms",
// "123.4 µs".
func dur(d time.Duration) string {
	switch {
	case d >= time.Second:
		return fmt.Sprintf("%.3f s", d.Seconds())
	case d >= time.Millisecond:
		return fmt.Sprintf("%.3f ms", float64(d)/1e6)
	default:
		return fmt.Sprintf("%.1f µs", float64(d)/1e3)
	}
}
