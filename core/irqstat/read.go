package irqstat

import (
	"bytes"
	"fmt"

	"github.com/cilium/ebpf"
)

// NameLen is IRQSTAT_NAME_LEN: a hard irq handler's name is cut to
// NameLen-1 bytes.
const NameLen = 32

// ReadNames sums, over the CPUs, the running totals of a stats map keyed
// by handler name (hardirqs: struct hardirq_key).
func ReadNames(stats *ebpf.Map) (map[string]Stat, error) {
	var (
		key    [NameLen]byte
		perCPU []Raw
		totals = map[string]Stat{}
	)
	it := stats.Iterate()
	for it.Next(&key, &perCPU) {
		name := key[:]
		if i := bytes.IndexByte(name, 0); i >= 0 {
			name = name[:i]
		}
		totals[string(name)] = Sum(perCPU)
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("reading hard irq statistics: %w", err)
	}
	return totals, nil
}

// MaxVec is SOFTIRQS_MAX_VEC: the softirqs stats array's size.
const MaxVec = 16

// vecNames are the kernel's softirq vector names (softirq_to_name), in
// vector order.
var vecNames = []string{"hi", "timer", "net_tx", "net_rx", "block", "irq_poll", "tasklet", "sched", "hrtimer", "rcu"}

// VecName names softirq vector i as the kernel does, in lower case.
func VecName(i int) string {
	if i < len(vecNames) {
		return vecNames[i]
	}
	return fmt.Sprintf("vec%d", i)
}

// VecOrder sorts names in vector order, as libbpf-tools prints them.
func VecOrder(a, b string) int {
	ia, ib := MaxVec, MaxVec
	for i := range MaxVec {
		if VecName(i) == a {
			ia = i
		}
		if VecName(i) == b {
			ib = i
		}
	}
	return ia - ib
}

// ReadVectors sums, over the CPUs, the running totals of a stats array
// indexed by softirq vector (softirqs), by vector name.
func ReadVectors(stats *ebpf.Map) (map[string]Stat, error) {
	totals := map[string]Stat{}
	for vec := range uint32(MaxVec) {
		var perCPU []Raw
		if err := stats.Lookup(vec, &perCPU); err != nil {
			return nil, fmt.Errorf("reading softirq statistics: %w", err)
		}
		totals[VecName(int(vec))] = Sum(perCPU)
	}
	return totals, nil
}
