package exporter

import (
	"fmt"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/probebox/probebox/applets/biolatency"
	bpfobj "github.com/probebox/probebox/bpfobj/biolatency"
	"github.com/probebox/probebox/core/blockdev"
	"github.com/probebox/probebox/core/kbtf"
	"github.com/probebox/probebox/core/loader"
)

var bioKind = kind{
	name:    "biolatency",
	metrics: "probebox_block_io_latency_seconds, probebox_block_io_bytes (histograms by device and op)",
	hooks:   biolatency.Hooks,
	new: func(opt *options) source {
		return &bioSource{names: blockdev.NewNames(), devs: newBoundedLabel(opt.MaxDevices)}
	},
}

var (
	bioLatDesc = prometheus.NewDesc("probebox_block_io_latency_seconds",
		"Block I/O latency from issue to completion, per device and operation (biolatency -D -F).",
		[]string{"device", "op"}, nil)
	bioBytesDesc = prometheus.NewDesc("probebox_block_io_bytes",
		"Block I/O request sizes in bytes, per device and operation.",
		[]string{"device", "op"}, nil)
)

// Slot layouts (bpfobj/include/pow2hist.bpf.h): latency slot 0 ends at
// 2^-19 s, size slot 0 at 2^0 bytes.
const (
	latencyTop0 = -19
	bytesTop0   = 0
)

type bioSource struct {
	names *blockdev.Names
	flags *blockdev.Flags
	devs  *boundedLabel
}

func (s *bioSource) load(opt *options) (*loader.Object, error) {
	res, err := kbtf.Default(opt.btf).Resolve()
	if err != nil {
		return nil, err
	}
	s.flags = blockdev.FlagsFromBTF(res.Spec)
	return loader.Load(loader.Request{
		Tool: "exporter: biolatency",
		Spec: func() (*ebpf.CollectionSpec, error) {
			sp, err := bpfobj.LoadBiolatency()
			if err != nil {
				return nil, err
			}
			delete(sp.Maps, "events") // histograms only
			sp.Maps["hists"].MaxEntries = uint32(opt.MaxKeys)
			sp.Maps["extras"].MaxEntries = uint32(opt.MaxKeys)
			return sp, nil
		},
		Hooks: biolatency.Hooks,
		Consts: map[string]any{
			"targ_per_disk": true,
			"targ_per_flag": true,
			"pow2_seconds":  true,
			"rq_after_q":    blockdev.RqAfterQueue(res.Spec),
		},
		BTF: opt.btf,
	})
}

func (s *bioSource) bounded() []loader.Bounded {
	return []loader.Bounded{{Slot: 0, Map: "hists"}, {Slot: 1, Map: "starts"}}
}

func (s *bioSource) describe(ch chan<- *prometheus.Desc) {
	ch <- bioLatDesc
	ch <- bioBytesDesc
}

type bioSeries struct {
	lat, bytes     []uint64
	sumNs, sumByte uint64
}

func (s *bioSource) collect(obj *loader.Object, ch chan<- prometheus.Metric) error {
	hists, extras := obj.Map("hists"), obj.Map("extras")
	var (
		key   bpfobj.BiolatencyBiolatencyKey
		hist  bpfobj.BiolatencyBiolatencyHist
		extra bpfobj.BiolatencyBiolatencyExtra
	)
	type devOp struct{ dev, op string }
	series := map[devOp]*bioSeries{}
	var devCounts []labelCount
	byDev := map[string]uint64{}
	it := hists.Iterate()
	for it.Next(&key, &hist) {
		if err := extras.Lookup(&key, &extra); err != nil {
			extra = bpfobj.BiolatencyBiolatencyExtra{} // a full extras map: counted in map_full
		}
		dev, op := s.device(key.Dev), s.op(key.CmdFlags)
		k := devOp{dev, op}
		se := series[k]
		if se == nil {
			se = &bioSeries{lat: make([]uint64, len(hist.Slots)), bytes: make([]uint64, len(extra.ByteSlots))}
			series[k] = se
		}
		for i, n := range hist.Slots {
			se.lat[i] += uint64(n)
			byDev[dev] += uint64(n)
		}
		for i, n := range extra.ByteSlots {
			se.bytes[i] += uint64(n)
		}
		se.sumNs += extra.SumNs
		se.sumByte += extra.SumBytes
	}
	if err := it.Err(); err != nil {
		return fmt.Errorf("reading hists: %w", err)
	}
	for d, n := range byDev {
		devCounts = append(devCounts, labelCount{d, n})
	}
	// Devices past the cap merge into "other".
	s.devs.bound(devCounts)
	merged := map[devOp]*bioSeries{}
	for k, se := range series {
		mk := devOp{s.devs.value(k.dev), k.op}
		m := merged[mk]
		if m == nil {
			merged[mk] = se
			continue
		}
		for i := range m.lat {
			m.lat[i] += se.lat[i]
		}
		for i := range m.bytes {
			m.bytes[i] += se.bytes[i]
		}
		m.sumNs += se.sumNs
		m.sumByte += se.sumByte
	}
	for k, se := range merged {
		ch <- &pow2Hist{desc: bioLatDesc, labels: []string{k.dev, k.op}, slots: se.lat, top0: latencyTop0, sum: float64(se.sumNs) / 1e9}
		ch <- &pow2Hist{desc: bioBytesDesc, labels: []string{k.dev, k.op}, slots: se.bytes, top0: bytesTop0, sum: float64(se.sumByte)}
	}
	return nil
}

// device names a dev_t as biolatency -D does (Names caches what it finds),
// else as MAJOR:MINOR.
func (s *bioSource) device(dev uint32) string {
	if n, ok := s.names.Name(dev); ok {
		return n
	}
	return fmt.Sprintf("%d:%d", blockdev.Major(dev), blockdev.Minor(dev))
}

// op is the operation's libbpf-tools name in lower case: read, write,
// flush, discard, ...
func (s *bioSource) op(cmdFlags uint32) string {
	return strings.ToLower(string(s.flags.AppendName(nil, cmdFlags&0xff)))
}
