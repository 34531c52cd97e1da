package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Row is one line of the table: one figure of one tracer in one workload.
type Row struct {
	Workload string  `json:"workload"`
	Tool     string  `json:"tool"`
	Tracer   string  `json:"tracer"` // none, probebox, libbpf-tools, bpftrace
	Status   string  `json:"status"` // ok, absent, failed
	Figure   string  `json:"figure"` // what Value is, e.g. added_ns_per_event
	Value    float64 `json:"value"`
	Unit     string  `json:"unit"`
	// VsPeer is probebox's value divided by libbpf-tools' (or bpftrace's)
	// value for the same figure in the same run; 0 when there is none.
	VsPeer    float64 `json:"vs_peer,omitempty"`
	Events    int64   `json:"events,omitempty"` // produced by the workload itself
	PerSecond float64 `json:"events_per_sec,omitempty"`
	Delivered *int64  `json:"delivered,omitempty"` // nil: not countable (/dev/null)
	Lost      *int64  `json:"lost,omitempty"`      // as the tool reported it
	CPUms     float64 `json:"tracer_cpu_ms,omitempty"`
	// BPFPerEvent: run time of the tracer's BPF programs per produced
	// event; BPFPerRun: per program run (system-wide tools, whose runs
	// include other processes' events). From the kernel's BPF statistics,
	// which the bench turns on; they add two clock reads per run.
	BPFPerEvent float64 `json:"bpf_ns_per_event,omitempty"`
	BPFPerRun   float64 `json:"bpf_ns_per_run,omitempty"`
	Target      string  `json:"target,omitempty"`
	Met         *bool   `json:"met,omitempty"`
	Note        string  `json:"note,omitempty"`
}

// Report is the whole run, as --json prints it.
type Report struct {
	Machine Machine `json:"machine"`
	Rows    []Row   `json:"rows"`
}

func ptr[T any](v T) *T { return &v }

var columns = []string{"workload", "tool", "tracer", "figure", "value", "vs peer", "events", "events/s", "delivered", "lost", "tracer CPU", "BPF ns", "target", "note"}

// cells renders r in the table's columns.
func (r Row) cells() []string {
	c := make([]string, len(columns))
	c[0], c[1], c[2] = r.Workload, r.Tool, r.Tracer
	if r.Status != "ok" {
		c[3], c[4] = r.Figure, r.Status
		c[13] = r.Note
		return c
	}
	c[3] = r.Figure
	c[4] = num(r.Value) + " " + r.Unit
	if r.VsPeer > 0 {
		c[5] = strconv.FormatFloat(r.VsPeer, 'f', 2, 64) + "×"
	}
	if r.Events > 0 {
		c[6] = strconv.FormatInt(r.Events, 10)
	}
	if r.PerSecond > 0 {
		c[7] = num(r.PerSecond)
	}
	if r.Delivered != nil {
		c[8] = strconv.FormatInt(*r.Delivered, 10)
	} else if r.Events > 0 {
		c[8] = "n/a"
	}
	if r.Lost != nil {
		c[9] = strconv.FormatInt(*r.Lost, 10)
	}
	if r.CPUms > 0 {
		c[10] = num(r.CPUms) + " ms"
	}
	switch {
	case r.BPFPerEvent > 0:
		c[11] = num(r.BPFPerEvent) + "/event"
	case r.BPFPerRun > 0:
		c[11] = num(r.BPFPerRun) + "/run"
	}
	if r.Target != "" {
		c[12] = r.Target
		if r.Met != nil {
			c[12] += map[bool]string{true: " ✓", false: " ✗"}[*r.Met]
		}
	}
	c[13] = r.Note
	return c
}

// num prints a figure with as many digits as it deserves.
func num(v float64) string {
	switch {
	case v >= 100 || v <= -100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10 || v <= -10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

// writeTable prints rows as one Markdown table.
func writeTable(w io.Writer, rows []Row) {
	line := func(cells []string) {
		fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
	}
	line(columns)
	sep := make([]string, len(columns))
	for i := range sep {
		sep[i] = "---"
	}
	line(sep)
	for _, r := range rows {
		cells := r.cells()
		for i, c := range cells {
			c = strings.Join(strings.Fields(c), " ")
			cells[i] = strings.ReplaceAll(c, "|", `\|`)
		}
		line(cells)
	}
}

func writeJSON(w io.Writer, rep Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}
