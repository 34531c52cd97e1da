package syms

import (
	"bytes"
	"math/rand/v2"
	"os"
	"testing"
)

func BenchmarkLoadKernel(b *testing.B) {
	if os.Geteuid() != 0 {
		b.Skip("kallsyms addresses need root")
	}
	for i := 0; i < b.N; i++ {
		if _, err := LoadKernel(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenELF reads the symbols of this test binary (a Go binary of
// some thousands of functions, like the services being profiled).
func BenchmarkOpenELF(b *testing.B) {
	self, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		if _, err := OpenELF(self); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenELFLarge reads a large C++ library's symbols (what a
// profile names at print time when its frames fall there).
func BenchmarkOpenELFLarge(b *testing.B) {
	const lib = "/usr/lib/x86_64-linux-gnu/libLLVM-14.so.1"
	if _, err := os.Stat(lib); err != nil {
		b.Skip(lib, " not installed")
	}
	for i := 0; i < b.N; i++ {
		if _, err := OpenELF(lib); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSymbolizeStacks is bench's symbolize workload: 10,000 unique
// stacks of 16 kernel and 16 user frames (kernel text addresses, this
// test binary's text), from a cold start (kallsyms and the ELF file are
// read within the time).
func BenchmarkSymbolizeStacks(b *testing.B) {
	if os.Geteuid() != 0 {
		b.Skip("kallsyms addresses need root")
	}
	k, err := LoadKernel()
	if err != nil {
		b.Fatal(err)
	}
	lo, hi := ownTextForBench(b)
	const stacks, depth = 10_000, 16
	rng := rand.New(rand.NewPCG(1, 2))
	ks, us := make([][]uint64, stacks), make([][]uint64, stacks)
	for i := range ks {
		ks[i], us[i] = make([]uint64, depth), make([]uint64, depth)
		for j := 0; j < depth; j++ {
			ks[i][j] = k.addrs.addrs[rng.IntN(len(k.addrs.addrs))] + uint64(rng.IntN(64))
			us[i][j] = lo + uint64(rng.Int64N(int64(hi-lo)))
		}
	}
	pid := os.Getpid()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := NewSymbolizer()
		for j := range ks {
			s.KernelStack(ks[j])
			s.UserStack(pid, us[j])
		}
	}
}

// ownTextForBench is this process's first executable file mapping.
func ownTextForBench(b *testing.B) (lo, hi uint64) {
	maps, err := readMaps(os.Getpid())
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range maps {
		if m.path != "" {
			return m.start, m.end
		}
	}
	b.Fatal("no executable file mapping")
	return 0, 0
}

// BenchmarkKernelLookup names random kernel text addresses (the cache
// misses of a cold profile's frames).
func BenchmarkKernelLookup(b *testing.B) {
	if os.Geteuid() != 0 {
		b.Skip("kallsyms addresses need root")
	}
	k, err := LoadKernel()
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	addrs := make([]uint64, 1<<16)
	for i := range addrs {
		addrs[i] = k.addrs.addrs[rng.IntN(len(k.addrs.addrs))] + uint64(rng.IntN(64))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, ok := k.Lookup(addrs[i&(1<<16-1)]); !ok {
			b.Fatal("not found")
		}
	}
}

// BenchmarkParseKallsyms is the parsing half of LoadKernel (the kernel's
// making of the text is the other), on a copy of this machine's kallsyms.
func BenchmarkParseKallsyms(b *testing.B) {
	text, err := os.ReadFile("/proc/kallsyms")
	if err != nil {
		b.Skip(err)
	}
	b.SetBytes(int64(len(text)))
	for i := 0; i < b.N; i++ {
		if _, err := ParseKallsyms(bytes.NewReader(text)); err != nil {
			b.Skip(err) // not root: all zeros
		}
	}
}
