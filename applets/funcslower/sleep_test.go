package funcslower

import (
	"syscall"
	"unsafe"
)

// sleepRaw sleeps ms milliseconds in one nanosleep call.
func sleepRaw(ms int64) {
	ts := syscall.NsecToTimespec(ms * 1_000_000)
	syscall.Syscall(syscall.SYS_NANOSLEEP, uintptr(unsafe.Pointer(&ts)), 0, 0)
}
