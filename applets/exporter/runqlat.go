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
	metrics: "probebox_runqueue_latency_seconds (histogram)",
	hooks:   runqlat.Hooks,
	new:     func(*options) source { return &runqSource{} },
}

var runqDesc = prometheus.NewDesc("probebox_runqueue_latency_seconds",
	"Time tasks waited on a CPU run queue, from wakeup (or preemption) to running (runqlat).", nil, nil)

// runqAllKey is RUNQLAT_ALL_KEY (bpfobj/runqlat/runqlat.h): the one
// histogram when no split is asked for.
const runqAllKey = 0xffffffff

type runqSource struct{}

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
			return sp, nil
		},
		Hooks:  runqlat.Hooks,
		Consts: map[string]any{"pow2_seconds": true},
		BTF:    opt.btf,
	})
}

func (s *runqSource) bounded() []loader.Bounded {
	return []loader.Bounded{{Slot: 0, Map: "hists"}, {Slot: 1, Map: "start"}}
}

func (s *runqSource) describe(ch chan<- *prometheus.Desc) { ch <- runqDesc }

func (s *runqSource) collect(obj *loader.Object, ch chan<- prometheus.Metric) error {
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
