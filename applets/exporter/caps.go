package exporter

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Capability numbers (linux/capability.h); CAP_PERFMON and CAP_BPF exist
// since 5.8.
const (
	capPerfmon = 38
	capBPF     = 39
)

// dropCaps keeps only CAP_BPF and CAP_PERFMON (permitted and effective,
// nothing inheritable) on every thread of the process, once every
// program is attached: reading maps through their file descriptors needs
// no more. Kernels before 5.8 have neither, and BPF there needs
// CAP_SYS_ADMIN, so nothing is dropped.
func dropCaps() error {
	last, err := lastCap()
	if err != nil {
		return err
	}
	if last < capBPF {
		return fmt.Errorf("this kernel has no CAP_BPF (before 5.8): BPF needs CAP_SYS_ADMIN here")
	}
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capget(&hdr, &data[0]); err != nil {
		return err
	}
	keep := [2]uint32{}
	keep[capBPF/32] |= 1 << (capBPF % 32)
	keep[capPerfmon/32] |= 1 << (capPerfmon % 32)
	for i := range data {
		data[i].Permitted &= keep[i]
		data[i].Effective &= keep[i]
		data[i].Inheritable = 0
	}
	// Capabilities are per thread: every thread of the Go runtime must drop.
	_, _, errno := syscall.AllThreadsSyscall(unix.SYS_CAPSET, uintptr(unsafe.Pointer(&hdr)), uintptr(unsafe.Pointer(&data[0])), 0)
	if errno == syscall.ENOTSUP {
		return fmt.Errorf("this probebox was built with cgo, whose threads Go cannot reach (release builds are CGO_ENABLED=0)")
	}
	if errno != 0 {
		return errno
	}
	return nil
}

func lastCap() (int, error) {
	b, err := os.ReadFile("/proc/sys/kernel/cap_last_cap")
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(b)))
}
