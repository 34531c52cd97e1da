package syms

import (
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
