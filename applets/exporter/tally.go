package exporter

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"

	"github.com/cilium/ebpf"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
)

// tallySource is a collector over a streaming tool's tally mode
// (bpfobj/include/tally.bpf.h): the tool's own program, set to count in
// the tallies map by kind, family and, opt-in, port and address, instead
// of emitting events. The counts are cumulative: each scrape reads them
// as they stand.
type tallySource struct {
	tool   string
	loadFn func() (*ebpf.CollectionSpec, error)
	hooks  func() []attach.Hook
	consts map[string]any
	// series maps a tally kind to its metric and that kind's label values
	// (before family, port and address); nil desc drops the kind.
	series  func(kind uint32) (*prometheus.Desc, []string)
	descs   []*prometheus.Desc
	family  bool   // a family label (ipv4, ipv6)
	portLbl string // the port label's name, when ports are asked for
	addrLbl string // the address label's name, when addresses are asked for
	keys    int    // tallies map size
	// zeros lists the kinds exported as 0 before anything is counted (so
	// that rate() and increase() see the first events), given the hooks
	// chosen; only without opt-in labels, whose values are not known.
	zeros  func(attach.Plan) []uint32
	capped *boundedLabel
}

// tallyKeySize is sizeof(struct tally_key) (bpfobj/include/tally.h).
const tallyKeySize = 24

// tallyFullSlot is PB_TALLY_FULL_SLOT (bpfobj/include/tally.h).
const tallyFullSlot = 3

// labelNames returns the label names of a metric with kindLabels first.
func (s *tallySource) labelNames(kindLabels ...string) []string {
	names := append([]string(nil), kindLabels...)
	if s.family {
		names = append(names, "family")
	}
	if s.portLbl != "" {
		names = append(names, s.portLbl)
	}
	if s.addrLbl != "" {
		names = append(names, s.addrLbl)
	}
	return names
}

func (s *tallySource) load(opt *options) (*loader.Object, error) {
	consts := map[string]any{
		"tally_mode": true,
		"tally_port": s.portLbl != "",
		"tally_addr": s.addrLbl != "",
	}
	for k, v := range s.consts {
		consts[k] = v
	}
	return loader.Load(loader.Request{
		Tool: "exporter: " + s.tool,
		Spec: func() (*ebpf.CollectionSpec, error) {
			sp, err := s.loadFn()
			if err != nil {
				return nil, err
			}
			sp.Maps["tallies"].MaxEntries = uint32(s.keys)
			// Nothing is emitted in tally mode: the smallest ring will do.
			if m, ok := sp.Maps["events"]; ok && m.Type == ebpf.RingBuf {
				m.MaxEntries = 4096
			}
			return sp, nil
		},
		Hooks:  s.hooks(),
		Consts: consts,
		BTF:    opt.btf,
	})
}

func (s *tallySource) bounded() []loader.Bounded {
	return []loader.Bounded{{Slot: tallyFullSlot, Map: "tallies"}}
}

func (s *tallySource) describe(ch chan<- *prometheus.Desc) {
	for _, d := range s.descs {
		ch <- d
	}
}

type tallyRow struct {
	kind   uint32
	family string
	opt    string // port and address, joined: the capped part
	port   string
	addr   string
	n      uint64
}

func (s *tallySource) collect(obj *loader.Object, ch chan<- prometheus.Metric) error {
	var (
		key  = make([]byte, tallyKeySize)
		n    uint64
		rows []tallyRow
	)
	it := obj.Map("tallies").Iterate()
	for it.Next(&key, &n) {
		rows = append(rows, s.decode(key, n))
	}
	if err := it.Err(); err != nil {
		return fmt.Errorf("reading tallies: %w", err)
	}
	if s.capped != nil {
		// The opt-in labels' values, capped across the whole metric.
		byOpt := map[string]uint64{}
		for _, r := range rows {
			byOpt[r.opt] += r.n
		}
		var counts []labelCount
		for v, c := range byOpt {
			counts = append(counts, labelCount{v, c})
		}
		s.capped.bound(counts)
		for i := range rows {
			if s.capped.value(rows[i].opt) == otherLabel {
				rows[i].opt = otherLabel
				if s.portLbl != "" {
					rows[i].port = otherLabel
				}
				if s.addrLbl != "" {
					rows[i].addr = otherLabel
				}
			}
		}
	}
	type seriesKey struct {
		kind               uint32
		family, port, addr string
	}
	sums := map[seriesKey]uint64{}
	if s.capped == nil && s.zeros != nil {
		families := []string{""}
		if s.family {
			families = []string{"ipv4", "ipv6"}
		}
		for _, k := range s.zeros(obj.Plan) {
			for _, f := range families {
				sums[seriesKey{kind: k, family: f}] = 0
			}
		}
	}
	for _, r := range rows {
		sums[seriesKey{r.kind, r.family, r.port, r.addr}] += r.n
	}
	keys := make([]seriesKey, 0, len(sums))
	for k := range sums {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b seriesKey) int {
		return cmp.Or(cmp.Compare(a.kind, b.kind), cmp.Compare(a.family, b.family), cmp.Compare(a.port, b.port), cmp.Compare(a.addr, b.addr))
	})
	for _, k := range keys {
		desc, kindValues := s.series(k.kind)
		if desc == nil {
			continue
		}
		values := append([]string(nil), kindValues...)
		if s.family {
			values = append(values, k.family)
		}
		if s.portLbl != "" {
			values = append(values, k.port)
		}
		if s.addrLbl != "" {
			values = append(values, k.addr)
		}
		ch <- prometheus.MustNewConstMetric(desc, prometheus.CounterValue, float64(sums[k]), values...)
	}
	return nil
}

// Address families as the kernel numbers them.
const (
	afInet  = 2
	afInet6 = 10
)

func (s *tallySource) decode(key []byte, n uint64) tallyRow {
	ne := binary.NativeEndian
	af := ne.Uint16(key[16:])
	r := tallyRow{kind: ne.Uint32(key[20:]), n: n}
	switch {
	case !s.family:
	case af == afInet:
		r.family = "ipv4"
	case af == afInet6:
		r.family = "ipv6"
	default:
		r.family = "other"
	}
	if s.portLbl != "" {
		r.port = strconv.Itoa(int(ne.Uint16(key[18:])))
	}
	if s.addrLbl != "" {
		switch af {
		case afInet:
			r.addr = netip.AddrFrom4([4]byte(key[:4])).String()
		case afInet6:
			r.addr = netip.AddrFrom16([16]byte(key[:16])).Unmap().String()
		}
	}
	r.opt = r.port + " " + r.addr
	return r
}

func isNotExist(err error) bool { return errors.Is(err, ebpf.ErrKeyNotExist) }
