package applet

import (
	"context"
	"errors"
	"io"
	"syscall"

	"golang.org/x/sys/unix"
)

// ErrReaderGone is why a run's context ends when nobody reads its stdout
// any more (context.Cause).
var ErrReaderGone = errors.New("the reader of stdout went away")

// ReaderGone reports whether ctx ended because nobody reads stdout: a
// tool then skips its final summary (there is nobody to write it to) and
// ends at once.
func ReaderGone(ctx context.Context) bool {
	return errors.Is(context.Cause(ctx), ErrReaderGone)
}

// watchReader calls gone, once, when nobody can read what w (stdout) gets
// any more: the read end of its pipe closed (the write end then polls
// POLLERR), or its terminal or socket hung up (POLLHUP). Without it a tool
// on a quiet machine under `| head -1` would go on tracing until its next
// write failed, which may be never.
//
// It polls a duplicate of w's descriptor together with a wake-up pipe in
// one thread blocked in poll(2): nothing runs until one of them fires.
// Anything that cannot report a hang-up (a file, /dev/null, a Go pipe in
// a test) is not watched. stop ends the watch and waits for it.
func watchReader(w io.Writer, gone func()) (stop func()) {
	nop := func() {}
	sc, ok := w.(syscall.Conn)
	if !ok {
		return nop
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return nop
	}
	out := -1
	raw.Control(func(fd uintptr) {
		// A duplicate: the poll goroutine must not race a close of w.
		out, _ = unix.FcntlInt(fd, unix.F_DUPFD_CLOEXEC, 0)
	})
	if out < 0 {
		return nop
	}
	var wake [2]int
	if err := unix.Pipe2(wake[:], unix.O_CLOEXEC); err != nil {
		unix.Close(out)
		return nop
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fds := []unix.PollFd{{Fd: int32(out)}, {Fd: int32(wake[0]), Events: unix.POLLIN}}
		for {
			// Events 0 on stdout: POLLERR and POLLHUP are always
			// reported, and POLLOUT, which a writable pipe always has,
			// is not asked for.
			_, err := unix.Poll(fds, -1)
			if err == unix.EINTR {
				continue
			}
			if err != nil || fds[1].Revents != 0 || fds[0].Revents&unix.POLLNVAL != 0 {
				return
			}
			if fds[0].Revents&(unix.POLLERR|unix.POLLHUP) != 0 {
				gone()
				return
			}
		}
	}()
	return func() {
		unix.Write(wake[1], []byte{0})
		<-done
		unix.Close(out)
		unix.Close(wake[0])
		unix.Close(wake[1])
	}
}
