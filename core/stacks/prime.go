package stacks

import (
	"context"
	"errors"
	"reflect"
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
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			var fresh []uint32
			eachKey(m, keySize, func(key []byte) {
				for _, pid := range pids(key) {
					if !seen[pid] {
						seen[pid] = true
						fresh = append(fresh, pid)
					}
				}
			})
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

// primeBatch is how many keys one batch lookup reads.
const primeBatch = 1024

// eachKey calls fn with every key of m (u64 values), read in batches: one
// system call per primeBatch keys, not two per key (Iterate's, over a
// full counts map every PrimeEvery, were a tenth of a system-wide
// profile's CPU: measured). Kernels without batch operations (before
// 5.6), or a batch the map's buckets do not fit, iterate key by key.
// It says whether the batches read the whole map.
func eachKey(m *ebpf.Map, keySize int, fn func(key []byte)) (batched bool) {
	keys := reflect.MakeSlice(reflect.SliceOf(reflect.ArrayOf(keySize, reflect.TypeFor[byte]())), primeBatch, primeBatch)
	vals := make([]uint64, primeBatch)
	var cursor ebpf.MapBatchCursor
	for {
		n, err := m.BatchLookup(&cursor, keys.Interface(), vals, nil)
		for i := 0; i < n; i++ {
			fn(keys.Index(i).Bytes())
		}
		if errors.Is(err, ebpf.ErrKeyNotExist) || (err == nil && n == 0) {
			return true
		}
		if err != nil {
			break
		}
	}
	key := make([]byte, keySize)
	var val uint64
	it := m.Iterate()
	for it.Next(&key, &val) {
		fn(key) // again for keys the batch gave: fn's callers skip known PIDs
	}
	return false
}
