package stacks

import (
	"context"
	"time"

	"github.com/cilium/ebpf"

	"github.com/probebox/probebox/core/syms"
)

// PrimeEvery is how often Prime looks for processes new in the counts map.
const PrimeEvery = time.Second

// Prime reads, every PrimeEvery until ctx ends, the processes the counts
// map m has keys for and primes the symbolizer with the ones it has not
// seen (syms.UserSymbols.Prime), so that processes which exit before the
// output is printed keep their names. pids extracts the process IDs from
// a key of keySize bytes. The returned function stops it and waits.
func Prime(ctx context.Context, m *ebpf.Map, keySize int, pids func(key []byte) []uint32, sym *syms.Symbolizer) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		seen := map[uint32]bool{0: true}
		t := time.NewTicker(PrimeEvery)
		defer t.Stop()
		key := make([]byte, keySize)
		var val uint64
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			var fresh []uint32
			it := m.Iterate()
			for it.Next(&key, &val) {
				for _, pid := range pids(key) {
					if !seen[pid] {
						seen[pid] = true
						fresh = append(fresh, pid)
					}
				}
			}
			for _, pid := range fresh {
				if ctx.Err() != nil {
					return
				}
				sym.User().Prime(int(pid))
			}
		}
	}()
	return func() { cancel(); <-done }
}

// KeyPID is the process of a struct pb_stack_key, for Prime.
func KeyPID(key []byte) []uint32 {
	if k, err := DecodeKey(key); err == nil && k.UserID >= 0 && k.UserID != NotCollected {
		return []uint32{k.PID}
	}
	return nil
}
