package livetest

import (
	"fmt"
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

// PTY is a pseudo-terminal pair opened through /dev/ptmx: what a test
// writes to Master a program on Slave reads as typed input, and what the
// program writes to Slave (its terminal) arrives on Master.
type PTY struct {
	Master, Slave *os.File
	Name          string // /dev/pts/N (or DIR/N in a devpts instance of the test's own)
}

// OpenPTY opens a pseudo-terminal pair, closed when t ends. Where
// /dev/pts is not mounted (the test kernels' guests mount only devtmpfs)
// it mounts a private devpts instance in a temporary directory and opens
// that one's ptmx.
func OpenPTY(t testing.TB) *PTY {
	t.Helper()
	dir := "/dev/pts"
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		dir = t.TempDir()
		if merr := unix.Mount("devpts", dir, "devpts", 0, "newinstance,ptmxmode=0666,mode=0620"); merr != nil {
			t.Fatalf("opening /dev/ptmx: %v; mounting a devpts instance: %v", err, merr)
		}
		t.Cleanup(func() { unix.Unmount(dir, unix.MNT_DETACH) })
		if m, err = os.OpenFile(dir+"/ptmx", os.O_RDWR|unix.O_NOCTTY, 0); err != nil {
			t.Fatalf("opening %s/ptmx: %v", dir, err)
		}
	}
	t.Cleanup(func() { m.Close() })
	fd := int(m.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatalf("unlocking the pty: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatalf("reading the pty number: %v", err)
	}
	name := fmt.Sprintf("%s/%d", dir, n)
	s, err := os.OpenFile(name, os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("opening %s: %v", name, err)
	}
	t.Cleanup(func() { s.Close() })
	return &PTY{Master: m, Slave: s, Name: name}
}
