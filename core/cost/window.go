package cost

import "time"

// Window is --max-cpu's comparison (the same window and settling as a
// tool run's) for a caller that watches several sets of programs in one
// process and stops them one by one: the exporter, per collector.
type Window struct{ w watch }

// NewWindow compares with limit, in percent of one CPU.
func NewWindow(limit float64) *Window {
	win := &Window{w: watch{limit: limit}}
	win.w.restart()
	return win
}

// CheckEvery is how often a Window expects a sample.
const CheckEvery = checkEvery

// Add records the cumulative BPF run time and CPU time at a moment and
// returns the share of one CPU, in percent, used over the window, with
// its parts; ok is false until the window has two samples. over is true
// when the share passes the limit.
func (win *Window) Add(at time.Time, bpf, cpu time.Duration) (pct, bpfPct, cpuPct float64, span time.Duration, over bool) {
	pct, bpfPct, cpuPct, span, ok := win.w.add(sample{at: at, bpf: bpf, cpu: cpu})
	return pct, bpfPct, cpuPct, span, ok && pct > win.w.limit
}
