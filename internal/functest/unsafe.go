package functest

import (
	"syscall"
	"unsafe"
)

func unsafePointer(ts *syscall.Timespec) unsafe.Pointer { return unsafe.Pointer(ts) }
