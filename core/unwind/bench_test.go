package unwind

import (
	"os"
	"testing"
)

// BenchmarkBuildLibc: the time to turn the system libc's .eh_frame into
// rows (what the first sample of a process costs the loader).
func BenchmarkBuildLibc(b *testing.B) {
	const libc = "/usr/lib/x86_64-linux-gnu/libc.so.6"
	if _, err := os.Stat(libc); err != nil {
		b.Skip("no", libc)
	}
	for i := 0; i < b.N; i++ {
		if _, err := Open(libc); err != nil {
			b.Fatal(err)
		}
	}
}
