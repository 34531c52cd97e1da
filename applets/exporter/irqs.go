package exporter

import (
	"github.com/cilium/ebpf"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/probebox/probebox/applets/hardirqs"
	"github.com/probebox/probebox/applets/softirqs"
	bpfhard "github.com/probebox/probebox/bpfobj/hardirqs"
	bpfsoft "github.com/probebox/probebox/bpfobj/softirqs"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/irqstat"
	"github.com/probebox/probebox/core/loader"
)

// The interrupt collectors load hardirqs' and softirqs' own programs in
// pow2_seconds mode (irqstat.bpf.h): every handler run lands in a slot of
// powers of two of seconds, with its time in ns, in per-CPU running
// totals that core/irqstat sums. Each handler or vector is one histogram.

var hardKind = kind{
	name:    "hardirqs",
	metrics: "probebox_hardirq_duration_seconds (histogram by irq handler name)",
	hooks:   hardirqs.Hooks,
	new: func(opt *options) source {
		return &irqSource{tool: "hardirqs", desc: hardDesc, hooks: hardirqs.Hooks, loadFn: bpfhard.LoadHardirqs,
			read: irqstat.ReadNames, names: newBoundedLabel(opt.MaxHardirqs), fullMap: "stats"}
	},
}

var softKind = kind{
	name:    "softirqs",
	metrics: "probebox_softirq_duration_seconds (histogram by vector)",
	hooks:   softirqs.Hooks,
	new: func(opt *options) source {
		return &irqSource{tool: "softirqs", desc: softDesc, hooks: softirqs.Hooks, loadFn: bpfsoft.LoadSoftirqs,
			read: irqstat.ReadVectors}
	},
}

var (
	hardDesc = prometheus.NewDesc("probebox_hardirq_duration_seconds",
		"Time each hard interrupt handler ran, by handler name as /proc/interrupts shows it, cut to 31 bytes (hardirqs -d -N).",
		[]string{"irq"}, nil)
	softDesc = prometheus.NewDesc("probebox_softirq_duration_seconds",
		"Time each soft interrupt vector ran, by vector (hi, timer, net_tx, net_rx, block, irq_poll, tasklet, sched, hrtimer, rcu) (softirqs -d -N).",
		[]string{"vector"}, nil)
)

type irqSource struct {
	tool    string
	desc    *prometheus.Desc
	hooks   []attach.Hook
	loadFn  func() (*ebpf.CollectionSpec, error)
	read    func(*ebpf.Map) (map[string]irqstat.Stat, error)
	names   *boundedLabel // hardirqs: handler names past the cap are "other"
	fullMap string        // the stats map when it can fill (hardirqs' hash)
}

func (s *irqSource) load(opt *options) (*loader.Object, error) {
	return loader.Load(loader.Request{
		Tool: "exporter: " + s.tool,
		Spec: func() (*ebpf.CollectionSpec, error) {
			sp, err := s.loadFn()
			if err == nil { // only maps are read
				delete(sp.Maps, "events")
				delete(sp.Maps, "lost_events")
			}
			return sp, err
		},
		Hooks:  s.hooks,
		Consts: map[string]any{"pow2_seconds": true},
		BTF:    opt.btf,
	})
}

func (s *irqSource) bounded() []loader.Bounded {
	if s.fullMap == "" {
		return nil
	}
	return []loader.Bounded{{Slot: 0, Map: s.fullMap}} // HARDIRQS_FULL_STATS
}

func (s *irqSource) describe(ch chan<- *prometheus.Desc) { ch <- s.desc }

func (s *irqSource) collect(obj *loader.Object, ch chan<- prometheus.Metric) error {
	totals, err := s.read(obj.Map("stats"))
	if err != nil {
		return err
	}
	hists := map[string]*pow2Hist{}
	var counts []labelCount
	for name, st := range totals {
		counts = append(counts, labelCount{name, st.Count})
	}
	if s.names != nil {
		s.names.bound(counts)
	}
	for name, st := range totals {
		label := name
		if s.names != nil {
			label = s.names.value(name)
		}
		h := hists[label]
		if h == nil {
			h = &pow2Hist{desc: s.desc, labels: []string{label}, slots: make([]uint64, irqstat.MaxSlots), top0: latencyTop0}
			hists[label] = h
		}
		for i, n := range st.Slots {
			h.slots[i] += n
		}
		h.sum += float64(st.Time) / 1e9
	}
	for _, h := range hists {
		ch <- h
	}
	return nil
}
