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
