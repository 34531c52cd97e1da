package netqtop

import (
	"fmt"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/netqtop"
)

const (
	maxQueues = 1024 // NETQTOP_MAX_QUEUES
	sizes     = 5    // NETQTOP_SIZES
)

// queue is one queue's packets in an interval.
type queue struct {
	bytes, packets uint64
	sizes          [sizes]uint64
}

func (q *queue) add(o queue) {
	q.bytes += o.bytes
	q.packets += o.packets
	for i := range q.sizes {
		q.sizes[i] += o.sizes[i]
	}
}

// interval is both directions' queues in one interval.
type interval struct {
	tx, rx []queue
}

// side turns one direction's cumulative per-CPU counters into each
// interval's.
type side struct {
	m    *ebpf.Map
	prev []queue
}

func newSide(m *ebpf.Map, n int) *side { return &side{m: m, prev: make([]queue, n)} }

func (s *side) take() ([]queue, error) {
	out := make([]queue, len(s.prev))
	var perCPU []bpfobj.NetqtopNetqtopQueue
	for i := range s.prev {
		if err := s.m.Lookup(uint32(i), &perCPU); err != nil {
			return nil, fmt.Errorf("reading queue %d: %w", i, err)
		}
		var total queue
		for _, c := range perCPU {
			total.bytes += c.Bytes
			total.packets += c.Packets
			for j := range total.sizes {
				total.sizes[j] += c.Sizes[j]
			}
		}
		d := queue{bytes: total.bytes - s.prev[i].bytes, packets: total.packets - s.prev[i].packets}
		for j := range d.sizes {
			d.sizes[j] = total.sizes[j] - s.prev[i].sizes[j]
		}
		out[i], s.prev[i] = d, total
	}
	return out, nil
}

type counters struct{ tx, rx *side }

func (c *counters) take() ([]interval, error) {
	tx, err := c.tx.take()
	if err != nil {
		return nil, err
	}
	rx, err := c.rx.take()
	if err != nil {
		return nil, err
	}
	return []interval{{tx: tx, rx: rx}}, nil
}
