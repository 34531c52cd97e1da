package stacks

import (
	"encoding/binary"
	"testing"

	"github.com/cilium/ebpf"

	"github.com/probebox/probebox/core/livetest"
)

// TestEachKey reads every key of a hash map larger than one batch, with a
// key size of the stack tools' (the batch path; the fallback iterates).
func TestEachKey(t *testing.T) {
	livetest.Require(t)
	const n = 3*primeBatch + 7
	m, err := ebpf.NewMap(&ebpf.MapSpec{Type: ebpf.Hash, KeySize: KeySize, ValueSize: 8, MaxEntries: 4 * primeBatch})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	key := make([]byte, KeySize)
	for i := 0; i < n; i++ {
		binary.NativeEndian.PutUint32(key, uint32(i+1))
		if err := m.Put(key, uint64(i)); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[uint32]int{}
	if !eachKey(m, KeySize, func(k []byte) { seen[binary.NativeEndian.Uint32(k)]++ }) {
		t.Error("the map was not read in batches (Linux 5.6 has them)")
	}
	if len(seen) != n {
		t.Fatalf("%d distinct keys read, want %d", len(seen), n)
	}
	for i := uint32(1); i <= n; i++ {
		if seen[i] == 0 {
			t.Fatalf("key %d not read", i)
		}
	}
}
