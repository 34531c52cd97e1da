package tcpaccept

import "golang.org/x/sys/unix"

// rawAccept calls accept(2) itself: Go's net package, like libc, uses
// accept4(2), and the sys_exit_accept hook needs a caller too. amd64 only:
// arm64 has no accept(2).
func rawAccept(fd int) (int, error) {
	r, _, errno := unix.Syscall(unix.SYS_ACCEPT, uintptr(fd), 0, 0)
	if errno != 0 {
		return -1, errno
	}
	return int(r), nil
}

const haveRawAccept = true
