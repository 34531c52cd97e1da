package livetest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// Loop is a file-backed loop device made for one test.
type Loop struct {
	Path         string // device node, /dev/loopN
	Name         string // "loopN", as /proc/partitions and the tools name it
	Major, Minor uint32
	dev          *os.File // opened O_DIRECT
}

// LoopDevice attaches a new loop device to a sparse file of size bytes in
// the test's temporary directory. The device is detached and the file
// removed when the test ends, failed or not; the device is also marked
// autoclear, so even a killed test leaves nothing attached.
func LoopDevice(t testing.TB, size int64) *Loop {
	t.Helper()
	backing := filepath.Join(t.TempDir(), "loop.img")
	f, err := os.OpenFile(backing, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	return loopOn(t, f)
}

// LoopDeviceOn attaches a new loop device to the file backing (an image
// the test made), detached when the test ends as LoopDevice's.
func LoopDeviceOn(t testing.TB, backing string) *Loop {
	t.Helper()
	f, err := os.OpenFile(backing, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return loopOn(t, f)
}

func loopOn(t testing.TB, f *os.File) *Loop {
	t.Helper()
	ctl, err := os.OpenFile("/dev/loop-control", os.O_RDWR, 0)
	if err != nil {
		t.Fatalf("loop devices: %v (is the loop module loaded?)", err)
	}
	defer ctl.Close()
	// Other tests may grab the same free device between the two calls:
	// LOOP_CONFIGURE then fails with EBUSY, and we ask again.
	for try := 0; try < 20; try++ {
		n, err := unix.IoctlRetInt(int(ctl.Fd()), unix.LOOP_CTL_GET_FREE)
		if err != nil {
			t.Fatalf("LOOP_CTL_GET_FREE: %v", err)
		}
		l, err := attachLoop(t, n, f)
		if errors.Is(err, unix.EBUSY) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	t.Fatal("no free loop device after 20 tries")
	return nil
}

func attachLoop(t testing.TB, n int, backing *os.File) (*Loop, error) {
	t.Helper()
	name := "loop" + strconv.Itoa(n)
	l := &Loop{Name: name, Path: "/dev/" + name}
	majmin, err := os.ReadFile("/sys/block/" + name + "/dev")
	if err != nil {
		return nil, fmt.Errorf("loop device %s: %w", name, err)
	}
	ma, mi, _ := strings.Cut(strings.TrimSpace(string(majmin)), ":")
	major, _ := strconv.ParseUint(ma, 10, 32)
	minor, _ := strconv.ParseUint(mi, 10, 32)
	l.Major, l.Minor = uint32(major), uint32(minor)
	if _, err := os.Stat(l.Path); err != nil {
		// No devtmpfs node (a minimal test system): make our own.
		l.Path = filepath.Join(t.TempDir(), name)
		if err := unix.Mknod(l.Path, unix.S_IFBLK|0o600, int(unix.Mkdev(uint32(major), uint32(minor)))); err != nil {
			return nil, fmt.Errorf("mknod %s: %w", l.Path, err)
		}
	}
	dev, err := os.OpenFile(l.Path, os.O_RDWR|unix.O_DIRECT, 0)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", l.Path, err)
	}
	cfg := unix.LoopConfig{Fd: uint32(backing.Fd()), Size: 0}
	cfg.Info.Flags = unix.LO_FLAGS_AUTOCLEAR
	copy(cfg.Info.File_name[:], "probebox-test")
	if err := unix.IoctlLoopConfigure(int(dev.Fd()), &cfg); err != nil {
		dev.Close()
		if errors.Is(err, unix.EBUSY) {
			return nil, err
		}
		return nil, fmt.Errorf("LOOP_CONFIGURE %s: %w", l.Path, err)
	}
	l.dev = dev
	t.Cleanup(func() {
		unix.IoctlSetInt(int(dev.Fd()), unix.LOOP_CLR_FD, 0)
		dev.Close()
	})
	return l, nil
}

// Dev is the device's kernel-internal dev_t (major << 20 | minor), as BPF
// programs see it.
func (l *Loop) Dev() uint32 { return l.Major<<20 | l.Minor }

// WriteDirect writes n bytes (a multiple of 512) at off with O_DIRECT, so
// the block I/O is issued by the calling process, and synchronously.
func (l *Loop) WriteDirect(t testing.TB, off int64, n int) {
	t.Helper()
	buf := alignedBuf(t, n)
	for i := range buf {
		buf[i] = byte(i)
	}
	if _, err := l.dev.WriteAt(buf, off); err != nil {
		t.Fatalf("O_DIRECT write of %d bytes at %d on %s: %v", n, off, l.Path, err)
	}
}

// ReadDirect reads n bytes (a multiple of 512) at off with O_DIRECT.
func (l *Loop) ReadDirect(t testing.TB, off int64, n int) {
	t.Helper()
	buf := alignedBuf(t, n)
	if _, err := l.dev.ReadAt(buf, off); err != nil {
		t.Fatalf("O_DIRECT read of %d bytes at %d on %s: %v", n, off, l.Path, err)
	}
}

// alignedBuf is page-aligned memory, as O_DIRECT wants.
func alignedBuf(t testing.TB, n int) []byte {
	t.Helper()
	b, err := unix.Mmap(-1, 0, n, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Munmap(b) })
	return b
}

// writeDirect is the helper process's "writedirect": count O_DIRECT
// writes of size bytes to dev, from off on.
func writeDirect(dev, off, size, count string) int {
	o, err1 := strconv.ParseInt(off, 10, 64)
	n, err2 := strconv.Atoi(size)
	c, err3 := strconv.Atoi(count)
	if err1 != nil || err2 != nil || err3 != nil || n <= 0 {
		return 2
	}
	f, err := os.OpenFile(dev, os.O_WRONLY|unix.O_DIRECT, 0)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer f.Close()
	buf, err := unix.Mmap(-1, 0, n, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for i := 0; i < c; i++ {
		if _, err := f.WriteAt(buf, o+int64(i*n)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	return 0
}
