package syms

import "math/bits"

// addrTable finds which of a sorted list of start addresses covers an
// address. Naming a profile's kernel frames is mostly this search over
// 120,000 kallsyms addresses; a table of where each bucket of the
// address range starts in the list (about as many buckets as addresses,
// a few symbols each) leaves a binary search of a few steps: 55 ns instead of
// 87 for a random kernel address (measured; sampling every 64th address
// instead gained nothing, the list fits this machine's L2).
type addrTable struct {
	addrs []uint64 // sorted
	base  uint64   // addrs[0]
	shift uint     // bucket b starts at base + b<<shift
	first []uint32 // index of the address covering bucket b's start
}

func newAddrTable(addrs []uint64) addrTable {
	t := addrTable{addrs: addrs}
	if len(addrs) < 2 || len(addrs) > 1<<31 {
		return t
	}
	t.base = addrs[0]
	last := addrs[len(addrs)-1] - t.base
	// About a bucket per address: from half to twice as many.
	t.shift = uint(max(0, bits.Len64(last)-bits.Len(uint(len(addrs)))))
	n := int(last>>t.shift) + 1
	t.first = make([]uint32, n)
	j := 0
	for b := range t.first {
		start := t.base + uint64(b)<<t.shift
		for j+1 < len(addrs) && addrs[j+1] <= start {
			j++
		}
		t.first[b] = uint32(j)
	}
	return t
}

// find is the index of the last address at or below addr (the symbol
// containing it; of equal addresses the last), or -1.
func (t *addrTable) find(addr uint64) int {
	if t.first == nil || addr < t.base {
		return lastAtOrBelow(t.addrs, addr)
	}
	b := (addr - t.base) >> t.shift
	if b >= uint64(len(t.first)) {
		b = uint64(len(t.first) - 1) // above the last address
	}
	lo, hi := int(t.first[b]), len(t.addrs)
	if b+1 < uint64(len(t.first)) {
		hi = int(t.first[b+1]) + 1 // that one covers the next bucket's start
	}
	return lo + lastAtOrBelow(t.addrs[lo:hi], addr)
}

// lastAtOrBelow is the index of the last element of sorted a that is at
// or below v, or -1. By hand: sort.Search's closure call per step was a
// fifth of naming 10,000 stacks in the profile.
func lastAtOrBelow(a []uint64, v uint64) int {
	lo, hi := 0, len(a)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if a[m] <= v {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo - 1
}
