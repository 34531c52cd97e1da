package exporter

import (
	"math"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/proto"
)

// pow2Hist is one histogram read from a BPF map whose slots have powers of
// two as upper bounds: slot 0 holds [0, 2^top0], slot i holds
// (2^(top0+i-1), 2^(top0+i)], and the last slot holds everything above
// (the BPF side clamps into it). Write gives Prometheus both forms at once:
// classic buckets (le = the slot bounds, the last slot only in +Inf) and a
// native histogram of schema 0, whose bucket i is (2^(i-1), 2^i], so
// each slot is one native bucket and slot 0 is the zero bucket
// (threshold 2^top0). Nothing is interpolated.
type pow2Hist struct {
	desc   *prometheus.Desc
	labels []string
	slots  []uint64
	top0   int     // exponent of slot 0's upper bound
	sum    float64 // in the metric's unit
}

func (h *pow2Hist) Desc() *prometheus.Desc { return h.desc }

func (h *pow2Hist) Write(m *dto.Metric) error {
	m.Label = prometheus.MakeLabelPairs(h.desc, h.labels)
	var count uint64
	for _, n := range h.slots {
		count += n
	}
	hist := &dto.Histogram{
		SampleCount:   proto.Uint64(count),
		SampleSum:     proto.Float64(h.sum),
		Schema:        proto.Int32(0),
		ZeroThreshold: proto.Float64(math.Ldexp(1, h.top0)),
	}
	var cum uint64
	for i := 0; i < len(h.slots)-1; i++ {
		cum += h.slots[i]
		hist.Bucket = append(hist.Bucket, &dto.Bucket{
			UpperBound:      proto.Float64(math.Ldexp(1, h.top0+i)),
			CumulativeCount: proto.Uint64(cum),
		})
	}
	if len(h.slots) > 0 {
		hist.ZeroCount = proto.Uint64(h.slots[0])
	}
	// One span from the first to the last non-empty slot after slot 0,
	// counts delta-encoded as the native format wants.
	first, last := -1, -1
	for i := 1; i < len(h.slots); i++ {
		if h.slots[i] > 0 {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		// No bucket: an empty span still marks the histogram as native.
		hist.PositiveSpan = []*dto.BucketSpan{{Offset: proto.Int32(0), Length: proto.Uint32(0)}}
	} else {
		hist.PositiveSpan = []*dto.BucketSpan{{
			Offset: proto.Int32(int32(h.top0 + first)),
			Length: proto.Uint32(uint32(last - first + 1)),
		}}
		var prev int64
		for i := first; i <= last; i++ {
			n := int64(h.slots[i])
			hist.PositiveDelta = append(hist.PositiveDelta, n-prev)
			prev = n
		}
	}
	m.Histogram = hist
	return nil
}
