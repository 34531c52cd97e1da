package exporter

import (
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestLiveSyscalls: the test calls fchdir(-1) N times (a syscall little
// else on the machine makes, failing with EBADF each time):
// probebox_syscalls_total{syscall="fchdir"} grows by N (others' fchdirs
// may add a few, never a double count), and
// probebox_syscall_errors_total{errno="EBADF"} by at least N.
func TestLiveSyscalls(t *testing.T) {
	s := startScraper(t, "syscount")
	const n = 2000
	fchdir := sel{"probebox_syscalls_total", map[string]string{"syscall": "fchdir"}}
	ebadf := sel{"probebox_syscall_errors_total", map[string]string{"errno": "EBADF"}}
	samples := s.scrape(t)
	base, baseErr := fchdir.sum(samples), ebadf.sum(samples)
	for i := 0; i < n; i++ {
		if _, _, e := unix.Syscall(unix.SYS_FCHDIR, ^uintptr(0), 0, 0); e != unix.EBADF {
			t.Fatalf("fchdir(-1): %v, want EBADF", e)
		}
	}
	samples = s.waitFor(t, 10*time.Second, atLeast(fchdir, base, n))
	if got := fchdir.sum(samples) - base; got > n+n/10 {
		t.Errorf("%s grew by %v for %d calls", fchdir, got, n)
	}
	if got := ebadf.sum(samples) - baseErr; got < n {
		t.Errorf("%s grew by %v, want >= %d", ebadf, got, n)
	}
	if total := (sel{"probebox_syscalls_total", nil}).sum(samples); total < n {
		t.Errorf("all syscalls: %v", total)
	}
}
