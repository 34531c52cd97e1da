package exporter

import (
	"fmt"

	"github.com/cilium/ebpf"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/probebox/probebox/applets/runqlat"
	bpfobj "github.com/probebox/probebox/bpfobj/runqlat"
	"github.com/probebox/probebox/core/loader"
)

var runqKind = kind{
	name:    "runqlat",
	metrics: "probebox_runqueue_latency_seconds (histogram; cgroup opt-in)",
	hooks:   runqlat.Hooks,
	new: func(opt *options) source {
		s := &runqSource{}
		if opt.RunqlatCgroups {
			s.cgroups = newCgroupNames()
			s.capped = newBoundedLabel(opt.MaxLabelValues)
			s.keys = opt.MaxKeys
		}
		return s
	},
}

var (
	runqDesc = prometheus.NewDesc("probebox_runqueue_latency_seconds",
		"Time tasks waited on a CPU run queue, from wakeup (or preemption) to running (runqlat).", nil, nil)
	runqCgroupDesc = prometheus.NewDesc("probebox_runqueue_latency_seconds",
		"Time tasks waited on a CPU run queue, from wakeup (or preemption) to running, by the cgroup v2 of the task (runqlat).",
		[]string{"cgroup"}, nil)
)

// runqAllKey is RUNQLAT_ALL_KEY (bpfobj/runqlat/runqlat.h): the one
// histogram when no split is asked for.
const runqAllKey = 0xffffffff

type runqSource struct {
	// With runqlat_cgroups: the histograms are keyed by cgroup inode.
	cgroups *cgroupNames
	capped  *boundedLabel
	keys    int
}

func (s *runqSource) load(opt *options) (*loader.Object, error) {
	return loader.Load(loader.Request{
		Tool: "exporter: runqlat",
		Spec: func() (*ebpf.CollectionSpec, error) {
			sp, err := bpfobj.LoadRunqlat()
			if err != nil {
				return nil, err
			}
			delete(sp.Maps, "events")
			sp.Maps["hists"].MaxEntries = 1
			if s.cgroups != nil {
				sp.Maps["hists"].MaxEntries = uint32(s.keys)
				sp.Maps["cg_sums"].MaxEntries = uint32(s.keys)
			}
			return sp, nil
		},
		Hooks:  runqlat.Hooks,
		Consts: map[string]any{"pow2_seconds": true, "per_cgroup": s.cgroups != nil},
		BTF:    opt.btf,
	})
}

func (s *runqSource) bounded() []loader.Bounded {
	return []loader.Bounded{{Slot: 0, Map: "hists"}, {Slot: 1, Map: "start"}}
}

func (s *runqSource) describe(ch chan<- *prometheus.Desc) {
	if s.cgroups != nil {
		ch <- runqCgroupDesc
		return
	}
	ch <- runqDesc
}

func (s *runqSource) collect(obj *loader.Object, ch chan<- prometheus.Metric) error {
	if s.cgroups != nil {
		return s.collectCgroups(obj, ch)
	}
	var hist bpfobj.RunqlatRunqlatHist
	slots := make([]uint64, len(hist.Slots))
	err := obj.Map("hists").Lookup(uint32(runqAllKey), &hist)
	switch {
	case err == nil:
		for i, n := range hist.Slots {
			slots[i] = uint64(n)
		}
	case !isNotExist(err):
		return fmt.Errorf("reading hists: %w", err)
	}
	sum, err := sumPerCPU(obj, "sum_ns", 0)
	if err != nil {
		return err
	}
	ch <- &pow2Hist{desc: runqDesc, slots: slots, top0: latencyTop0, sum: float64(sum) / 1e9}
	return nil
}

// collectCgroups: one histogram per cgroup path, the cap's excess merged
// under "other".
func (s *runqSource) collectCgroups(obj *loader.Object, ch chan<- prometheus.Metric) error {
	s.cgroups.newScrape()
	var (
		ino   uint32
		hist  bpfobj.RunqlatRunqlatHist
		sums  []uint64
		byCg  = map[string]*pow2Hist{}
		count = map[string]uint64{}
	)
	it := obj.Map("hists").Iterate()
	for it.Next(&ino, &hist) {
		path := s.cgroups.path(ino)
		h := byCg[path]
		if h == nil {
			h = &pow2Hist{desc: runqCgroupDesc, slots: make([]uint64, len(hist.Slots)), top0: latencyTop0}
			byCg[path] = h
		}
		for i, n := range hist.Slots {
			h.slots[i] += uint64(n)
			count[path] += uint64(n)
		}
		if err := obj.Map("cg_sums").Lookup(ino, &sums); err == nil {
			for _, n := range sums {
				h.sum += float64(n) / 1e9
			}
		}
	}
	if err := it.Err(); err != nil {
		return fmt.Errorf("reading hists: %w", err)
	}
	var counts []labelCount
	for p, n := range count {
		counts = append(counts, labelCount{p, n})
	}
	s.capped.bound(counts)
	merged := map[string]*pow2Hist{}
	for p, h := range byCg {
		label := s.capped.value(p)
		m := merged[label]
		if m == nil {
			h.labels = []string{label}
			merged[label] = h
			continue
		}
		for i := range m.slots {
			m.slots[i] += h.slots[i]
		}
		m.sum += h.sum
	}
	for _, h := range merged {
		ch <- h
	}
	return nil
}
