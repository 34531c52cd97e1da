package syms

import (
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// TestAddrTable checks the bucketed and the plain search against
// sort.Search: runs of equal addresses, a far-away second group (modules
// above vmlinux), and addresses below, between and above them all.
func TestAddrTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 2, 3, 64, 65, 1000, 5000} {
		addrs := make([]uint64, n)
		for i := range addrs {
			addrs[i] = 1000 + uint64(rng.IntN(2*n+1))
			if i > n*3/4 {
				addrs[i] += 100_000
			}
		}
		slices.Sort(addrs)
		x := newAddrTable(addrs)
		for a := uint64(990); a < 1000+uint64(2*n)+100_010; a++ {
			want := sort.Search(len(addrs), func(i int) bool { return addrs[i] > a }) - 1
			if got := x.find(a); got != want {
				t.Fatalf("n=%d find(%d) = %d, want %d", n, a, got, want)
			}
			if got := lastAtOrBelow(addrs, a); got != want {
				t.Fatalf("n=%d lastAtOrBelow(%d) = %d, want %d", n, a, got, want)
			}
		}
	}
}
