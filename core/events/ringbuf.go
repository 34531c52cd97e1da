package events

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"
)

// ringReader reads a BPF ring buffer through one mapping of its data
// pages.
//
// Why not cilium/ebpf's ringbuf.Reader: it maps the data area twice in a
// row, as libbpf does, so that a record that wraps around the end reads
// as one slice. The kernel inserts every page of a ring buffer mapping at
// mmap time, so the second view costs the ring's whole size in resident
// memory (1 MiB of a streaming tool's 8 MiB budget) to save copying the
// few records that wrap. Here a wrapped record is copied in two pieces
// into the reused buffer every record is copied into anyway.
type ringReader struct {
	mu    sync.Mutex // held by a read (also while it waits) and by close
	cons  []byte     // consumer position page (read-write)
	prod  []byte     // producer position page, then the data pages
	data  []byte
	mask  uintptr
	buf   []byte
	epfd  int
	wake  int // eventfd: close wakes a waiting read
	close atomic.Bool
}

// ringbufHeader bits (uapi/linux/bpf.h).
const (
	ringbufBusy    = unix.BPF_RINGBUF_BUSY_BIT
	ringbufDiscard = unix.BPF_RINGBUF_DISCARD_BIT
	ringbufHdrSize = unix.BPF_RINGBUF_HDR_SZ
)

func newRingReader(m *ebpf.Map) (_ *ringReader, err error) {
	size := int(m.MaxEntries())
	if m.Type() != ebpf.RingBuf || size == 0 || size&(size-1) != 0 {
		return nil, fmt.Errorf("%v map of %d bytes is not a ring buffer", m.Type(), size)
	}
	fd, page := m.FD(), os.Getpagesize()
	r := &ringReader{mask: uintptr(size - 1), epfd: -1, wake: -1}
	defer func() {
		if err != nil {
			r.release()
		}
	}()
	if r.cons, err = unix.Mmap(fd, 0, page, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED); err != nil {
		return nil, fmt.Errorf("mapping the consumer page: %w", err)
	}
	if r.prod, err = unix.Mmap(fd, int64(page), page+size, unix.PROT_READ, unix.MAP_SHARED); err != nil {
		return nil, fmt.Errorf("mapping the data pages: %w", err)
	}
	r.data = r.prod[page:]
	if r.epfd, err = unix.EpollCreate1(unix.EPOLL_CLOEXEC); err != nil {
		return nil, err
	}
	if r.wake, err = unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK); err != nil {
		return nil, err
	}
	for _, fd := range []int{fd, r.wake} {
		ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(fd)}
		if err = unix.EpollCtl(r.epfd, unix.EPOLL_CTL_ADD, fd, &ev); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// The positions are unsigned longs, as the kernel keeps them.
func (r *ringReader) consPos() *uintptr { return (*uintptr)(unsafe.Pointer(&r.cons[0])) }
func (r *ringReader) prodPos() *uintptr { return (*uintptr)(unsafe.Pointer(&r.prod[0])) }

// read returns the next record, waiting until deadline for one; the
// slice is valid until the next call. What is already in the ring is
// returned even when the deadline has passed (the final drain); after
// that, os.ErrDeadlineExceeded. os.ErrClosed once close was called.
func (r *ringReader) read(deadline time.Time) ([]byte, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for {
		if r.close.Load() || r.cons == nil {
			return nil, os.ErrClosed
		}
		if rec, ok := r.next(); ok {
			return rec, nil
		}
		if err := r.wait(deadline); err != nil {
			// Records committed while the deadline ran out still count.
			if rec, ok := r.next(); ok && err != os.ErrClosed {
				return rec, nil
			}
			return nil, err
		}
	}
}

// next copies out the next committed record, skipping discarded ones.
func (r *ringReader) next() ([]byte, bool) {
	cons := atomic.LoadUintptr(r.consPos())
	for {
		prod := atomic.LoadUintptr(r.prodPos())
		if prod-cons < ringbufHdrSize {
			return nil, false
		}
		// Headers are 8-byte aligned in a ring of at least a page: never
		// split by the end.
		hdr := atomic.LoadUint32((*uint32)(unsafe.Pointer(&r.data[cons&r.mask])))
		if hdr&ringbufBusy != 0 {
			// Reserved, not yet committed: wait for the wake-up (the
			// kernel wakes on commit) or the next tick.
			return nil, false
		}
		n := uintptr(hdr &^ (ringbufBusy | ringbufDiscard))
		start := (cons + ringbufHdrSize) & r.mask
		cons += ringbufHdrSize + (n+7)&^7
		if hdr&ringbufDiscard != 0 {
			atomic.StoreUintptr(r.consPos(), cons)
			continue
		}
		if uintptr(cap(r.buf)) < n {
			r.buf = make([]byte, n)
		}
		rec := r.buf[:n]
		if first := copy(rec, r.data[start:]); uintptr(first) < n {
			copy(rec[first:], r.data)
		}
		atomic.StoreUintptr(r.consPos(), cons)
		return rec, true
	}
}

// wait blocks until the kernel signals data, close is called or the
// deadline passes (os.ErrDeadlineExceeded).
func (r *ringReader) wait(deadline time.Time) error {
	var events [2]unix.EpollEvent
	for {
		msec := -1
		if !deadline.IsZero() {
			left := time.Until(deadline)
			if left <= 0 {
				return os.ErrDeadlineExceeded
			}
			msec = int((left + time.Millisecond - 1) / time.Millisecond)
		}
		n, err := unix.EpollWait(r.epfd, events[:], msec)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return fmt.Errorf("waiting for the ring buffer: %w", err)
		}
		if r.close.Load() {
			return os.ErrClosed
		}
		if n > 0 {
			return nil
		}
	}
}

// shutdown wakes a waiting read, which returns os.ErrClosed, then frees
// the mappings once no read is running.
func (r *ringReader) shutdown() error {
	if r.close.Swap(true) {
		return nil
	}
	one := [8]byte{1}
	unix.Write(r.wake, one[:])
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.release()
}

func (r *ringReader) release() error {
	var errs []error
	for _, m := range [][]byte{r.prod, r.cons} {
		if m != nil {
			errs = append(errs, unix.Munmap(m))
		}
	}
	r.prod, r.cons, r.data = nil, nil, nil
	for _, fd := range []*int{&r.epfd, &r.wake} {
		if *fd >= 0 {
			errs = append(errs, unix.Close(*fd))
			*fd = -1
		}
	}
	return errors.Join(errs...)
}
