package exporter

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/cost"
	"github.com/probebox/probebox/core/loader"
)

// source is one collector's BPF side: how to load it (the applet's
// object, hooks and constants, in the applet's summary or tally mode) and
// how to turn its maps into metrics at scrape time.
type source interface {
	// load loads and attaches the tool's object.
	load(opt *options) (*loader.Object, error)
	// describe sends the descriptors of the collector's own metrics.
	describe(ch chan<- *prometheus.Desc)
	// collect reads the maps and sends the metrics; it is called with the
	// collector's lock held, one scrape at a time.
	collect(obj *loader.Object, ch chan<- prometheus.Metric) error
}

// kind is a collector's registration: its name, what it exports and the
// applet whose BPF program and hooks it reuses.
type kind struct {
	name    string
	metrics string // what it exports, for the index page and --help
	hooks   []attach.Hook
	new     func(opt *options) source
	// costly says why the shipped config leaves the collector out ("" for
	// none): its programs run on events every machine has in floods.
	costly string
}

// collector is one loaded (or failed) collector.
type collector struct {
	kind  kind
	src   source
	obj   *loader.Object // nil when it could not load
	err   error          // why it could not load
	hooks string         // the chosen hooks, "hook=candidate;..."

	mu sync.Mutex // one scrape of the maps at a time; guards obj once serving
	// With --max-cpu: the collector's window, and why it was detached
	// ("" while it runs). Its BPF figures stay as they were at the detach.
	window             *cost.Window
	stopped            string
	finalNs, finalRuns uint64
}

// start loads the collector; a failure is kept, not returned: the
// collector then reports probebox_collector_up 0 and the rest serve on.
func start(k kind, opt *options) *collector {
	c := &collector{kind: k, src: k.new(opt)}
	c.obj, c.err = c.src.load(opt)
	if c.obj != nil {
		c.hooks = planLabel(c.obj.Plan)
	}
	return c
}

func (c *collector) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.obj != nil {
		c.obj.Close()
		c.obj = nil
	}
}

// runTime is the collector's BPF run time (ns) and run count so far;
// after --max-cpu detached it, the figures at the detach. Called with
// c.mu held.
func (c *collector) runTime() (ns, runs uint64) {
	if c.obj == nil {
		return c.finalNs, c.finalRuns
	}
	d, n := cost.RunTime(c.obj.Coll.Programs)
	return uint64(d), n
}

// planLabel names the chosen candidate of every hook, e.g.
// "block I/O=tp_btf:block_rq_insert,...".
func planLabel(p attach.Plan) string {
	parts := make([]string, 0, len(p))
	for _, ch := range p {
		parts = append(parts, ch.Hook+"="+ch.Candidate.String())
	}
	return strings.Join(parts, "; ")
}

// Metrics every collector has, labelled by collector.
var (
	upDesc = prometheus.NewDesc("probebox_collector_up",
		"1 when the collector's BPF programs are attached, 0 when its hooks are missing on this kernel.",
		[]string{"collector", "hooks"}, nil)
	lostDesc = prometheus.NewDesc("probebox_lost_events_total",
		"Events the kernel could not hand to the collector: a full event buffer, or a program run skipped because another BPF program ran on the CPU.", []string{"collector"}, nil)
	fullDesc = prometheus.NewDesc("probebox_map_full_total",
		"Events not counted because a BPF map was full.", []string{"collector", "map"}, nil)
	durDesc = prometheus.NewDesc("probebox_scrape_collector_duration_seconds",
		"Time the collector took to read its BPF maps in this scrape.", []string{"collector"}, nil)
	okDesc = prometheus.NewDesc("probebox_scrape_collector_success",
		"1 when the collector read its BPF maps without error in this scrape.", []string{"collector"}, nil)
	runSecDesc = prometheus.NewDesc("probebox_bpf_run_seconds_total",
		"Time the collector's BPF programs ran in the kernel (BPF statistics, on while the exporter runs).", []string{"collector"}, nil)
	runsDesc = prometheus.NewDesc("probebox_bpf_runs_total",
		"Runs of the collector's BPF programs (BPF statistics, on while the exporter runs).", []string{"collector"}, nil)
	statsDesc = prometheus.NewDesc("probebox_bpf_stats_enabled",
		"1 when the kernel's BPF run-time statistics are on, so probebox_bpf_run_seconds_total and probebox_bpf_runs_total are exported.", nil, nil)
	overDesc = prometheus.NewDesc("probebox_collector_max_cpu_exceeded",
		"With --max-cpu: 1 once the collector's BPF programs used more than the limit and were detached.", []string{"collector"}, nil)
)

// set is every collector the exporter runs, as one prometheus.Collector.
type set struct {
	collectors []*collector
	stats      bool // BPF run-time statistics are on
	maxCPU     int  // --max-cpu, 0 when off
}

func (s *set) Describe(ch chan<- *prometheus.Desc) {
	ch <- upDesc
	ch <- lostDesc
	ch <- fullDesc
	ch <- durDesc
	ch <- okDesc
	ch <- statsDesc
	if s.stats {
		ch <- runSecDesc
		ch <- runsDesc
	}
	if s.maxCPU > 0 {
		ch <- overDesc
	}
	for _, c := range s.collectors {
		c.src.describe(ch)
	}
}

// Collect reads every collector's maps concurrently.
func (s *set) Collect(ch chan<- prometheus.Metric) {
	ch <- prometheus.MustNewConstMetric(statsDesc, prometheus.GaugeValue, b2f(s.stats))
	var wg sync.WaitGroup
	for _, c := range s.collectors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.collect(ch, s)
		}()
	}
	wg.Wait()
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func (c *collector) collect(ch chan<- prometheus.Metric, s *set) {
	name := c.kind.name
	c.mu.Lock()
	defer c.mu.Unlock()
	if s.maxCPU > 0 {
		ch <- prometheus.MustNewConstMetric(overDesc, prometheus.GaugeValue, b2f(c.stopped != ""), name)
	}
	if s.stats && (c.obj != nil || c.stopped != "") {
		ns, runs := c.runTime()
		ch <- prometheus.MustNewConstMetric(runSecDesc, prometheus.CounterValue, float64(ns)/1e9, name)
		ch <- prometheus.MustNewConstMetric(runsDesc, prometheus.CounterValue, float64(runs), name)
	}
	if c.obj == nil {
		ch <- prometheus.MustNewConstMetric(upDesc, prometheus.GaugeValue, 0, name, c.hooks)
		return
	}
	ch <- prometheus.MustNewConstMetric(upDesc, prometheus.GaugeValue, 1, name, c.hooks)
	begin := time.Now()
	err := c.src.collect(c.obj, ch)
	if err == nil {
		err = c.counters(ch)
	}
	ch <- prometheus.MustNewConstMetric(durDesc, prometheus.GaugeValue, time.Since(begin).Seconds(), name)
	ok := 1.0
	if err != nil {
		ok = 0
	}
	ch <- prometheus.MustNewConstMetric(okDesc, prometheus.GaugeValue, ok, name)
}

// counters sends the loss counters: lost_events (one slot) and map_full
// (one slot per bounded map), both per-CPU arrays summed here.
func (c *collector) counters(ch chan<- prometheus.Metric) error {
	name := c.kind.name
	var lost uint64
	if m := c.obj.Map("lost_events"); m != nil {
		n, err := sumPerCPU(c.obj, "lost_events", 0)
		if err != nil {
			return err
		}
		lost = n
	}
	// Runs the kernel skipped because another BPF program was running on
	// the CPU (recursion_misses, 5.12+): events the collector never saw.
	for _, p := range c.obj.Coll.Programs {
		if st, err := p.Stats(); err == nil {
			lost += st.RecursionMisses
		}
	}
	ch <- prometheus.MustNewConstMetric(lostDesc, prometheus.CounterValue, float64(lost), name)
	if b, ok := c.src.(bounder); ok && c.obj.Map("map_full") != nil {
		for _, x := range b.bounded() {
			n, err := sumPerCPU(c.obj, "map_full", x.Slot)
			if err != nil {
				return err
			}
			ch <- prometheus.MustNewConstMetric(fullDesc, prometheus.CounterValue, float64(n), name, x.Map)
		}
	}
	return nil
}

// bounder is a source whose BPF maps can fill up.
type bounder interface {
	bounded() []loader.Bounded
}

func sumPerCPU(obj *loader.Object, mapName string, slot uint32) (uint64, error) {
	var perCPU []uint64
	if err := obj.Map(mapName).Lookup(slot, &perCPU); err != nil {
		return 0, fmt.Errorf("reading %s: %w", mapName, err)
	}
	var total uint64
	for _, n := range perCPU {
		total += n
	}
	return total, nil
}
