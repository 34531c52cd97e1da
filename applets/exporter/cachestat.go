package exporter

import (
	"github.com/cilium/ebpf"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/probebox/probebox/applets/cachestat"
	bpfobj "github.com/probebox/probebox/bpfobj/cachestat"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/pagecache"
)

// cacheKind exports cachestat's four counters as they stand (cachestat
// itself clears them each interval). Hits and misses are bcc's
// arithmetic over rates of these (docs/EXPORTER.md): computed from
// cumulative counts they would not be counters.
var cacheKind = kind{
	name:    "cachestat",
	metrics: "probebox_page_cache_accesses_total, probebox_page_cache_additions_total, probebox_page_cache_dirtied_pages_total, probebox_page_cache_dirtied_buffers_total",
	hooks:   cachestat.Hooks,
	new:     func(*options) source { return &cacheSource{} },
}

// cacheDescs, by counter slot.
var cacheDescs = [pagecache.Slots]*prometheus.Desc{
	pagecache.Added: prometheus.NewDesc("probebox_page_cache_additions_total",
		"Pages added to the page cache: misses (cachestat; pages by folio size on the filemap tracepoints, calls on the function hooks).", nil, nil),
	pagecache.Accessed: prometheus.NewDesc("probebox_page_cache_accesses_total",
		"Page cache accesses (cachestat; pages read through the cache and faults on the filemap tracepoints, mark_page_accessed calls on the function hooks).", nil, nil),
	pagecache.BuffersDirtied: prometheus.NewDesc("probebox_page_cache_dirtied_buffers_total",
		"Buffers marked dirty (cachestat: block_dirty_buffer or mark_buffer_dirty).", nil, nil),
	pagecache.PagesDirtied: prometheus.NewDesc("probebox_page_cache_dirtied_pages_total",
		"Page cache pages dirtied (cachestat: writeback_dirty_folio or writeback_dirty_page).", nil, nil),
}

type cacheSource struct{}

func (s *cacheSource) load(opt *options) (*loader.Object, error) {
	return loader.Load(loader.Request{
		Tool: "exporter: cachestat",
		Spec: func() (*ebpf.CollectionSpec, error) {
			sp, err := bpfobj.LoadCachestat()
			if err == nil { // only the counters are read
				delete(sp.Maps, "events")
				delete(sp.Maps, "lost_events")
			}
			return sp, err
		},
		Hooks: cachestat.Hooks,
		BTF:   opt.btf,
	})
}

func (s *cacheSource) describe(ch chan<- *prometheus.Desc) {
	for _, d := range cacheDescs {
		ch <- d
	}
}

func (s *cacheSource) collect(obj *loader.Object, ch chan<- prometheus.Metric) error {
	c, err := pagecache.Read(obj.Map("counts"))
	if err != nil {
		return err
	}
	for i, d := range cacheDescs {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(max(c[i], 0)))
	}
	return nil
}
