package exporter

import (
	"fmt"

	"github.com/cilium/ebpf"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/probebox/probebox/applets/tcplife"
	bpfobj "github.com/probebox/probebox/bpfobj/tcplife"
	"github.com/probebox/probebox/core/loader"
)

// lifeKind: TCP sessions as they close, with tcplife's own program in
// pow2_seconds mode (per-CPU histograms by family, nothing emitted).
var lifeKind = kind{
	name:    "tcplife",
	metrics: "probebox_tcp_session_duration_seconds, probebox_tcp_session_bytes (histograms by family; bytes by direction)",
	hooks:   tcplife.Hooks,
	new:     func(*options) source { return &lifeSource{} },
}

var (
	lifeSpanDesc = prometheus.NewDesc("probebox_tcp_session_duration_seconds",
		"Lifespan of TCP sessions that closed, from SYN_SENT, SYN_RECV or ESTABLISHED to CLOSE, by address family (tcplife).",
		[]string{"family"}, nil)
	lifeBytesDesc = prometheus.NewDesc("probebox_tcp_session_bytes",
		"Bytes of TCP sessions that closed, received (bytes_received) or sent and acknowledged (bytes_acked), by address family (tcplife).",
		[]string{"family", "direction"}, nil)
)

// tcplifeFullBirth is TCPLIFE_FULL_BIRTH (bpfobj/tcplife/tcplife.h).
const tcplifeFullBirth = 0

type lifeSource struct{}

func (s *lifeSource) load(opt *options) (*loader.Object, error) {
	return loader.Load(loader.Request{
		Tool: "exporter: tcplife",
		Spec: func() (*ebpf.CollectionSpec, error) {
			sp, err := bpfobj.LoadTcplife()
			if err != nil {
				return nil, err
			}
			// Nothing is emitted and no owner kept.
			if m, ok := sp.Maps["events"]; ok && m.Type == ebpf.RingBuf {
				m.MaxEntries = 4096
			}
			sp.Maps["idents"].MaxEntries = 1
			return sp, nil
		},
		Hooks:  tcplife.Hooks,
		Consts: map[string]any{"pow2_seconds": true},
		BTF:    opt.btf,
	})
}

func (s *lifeSource) bounded() []loader.Bounded {
	return []loader.Bounded{{Slot: tcplifeFullBirth, Map: "birth"}}
}

func (s *lifeSource) describe(ch chan<- *prometheus.Desc) {
	ch <- lifeSpanDesc
	ch <- lifeBytesDesc
}

func (s *lifeSource) collect(obj *loader.Object, ch chan<- prometheus.Metric) error {
	for i, family := range []string{"ipv4", "ipv6"} {
		var perCPU []bpfobj.TcplifeTcplifeHist
		if err := obj.Map("hists").Lookup(uint32(i), &perCPU); err != nil {
			return fmt.Errorf("reading hists: %w", err)
		}
		var sum bpfobj.TcplifeTcplifeHist
		for _, h := range perCPU {
			for j := range sum.SpanSlots {
				sum.SpanSlots[j] += h.SpanSlots[j]
				sum.RxSlots[j] += h.RxSlots[j]
				sum.TxSlots[j] += h.TxSlots[j]
			}
			sum.SpanNs += h.SpanNs
			sum.RxB += h.RxB
			sum.TxB += h.TxB
		}
		ch <- &pow2Hist{desc: lifeSpanDesc, labels: []string{family}, slots: sum.SpanSlots[:], top0: latencyTop0, sum: float64(sum.SpanNs) / 1e9}
		ch <- &pow2Hist{desc: lifeBytesDesc, labels: []string{family, "received"}, slots: sum.RxSlots[:], top0: bytesTop0, sum: float64(sum.RxB)}
		ch <- &pow2Hist{desc: lifeBytesDesc, labels: []string{family, "sent"}, slots: sum.TxSlots[:], top0: bytesTop0, sum: float64(sum.TxB)}
	}
	return nil
}
