package output

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// bufferLimit is how much is buffered before a write goes out regardless
// of the timer.
const bufferLimit = 64 * 1024

// Writer buffers output and flushes it at least every flushEvery, so that
// `tool | grep` sees events promptly while a flood is still written in big
// chunks. Each Write is one record (one event's line). The first write
// error is kept and returned by every later call, so a tool whose reader
// went away (EPIPE) or whose disk filled (ENOSPC) stops cleanly, and
// Unwritten says how many records never reached the output.
type Writer struct {
	mu        sync.Mutex
	w         io.Writer
	buf       []byte
	ends      []int // end offset in buf of each buffered record
	err       error
	unwritten int
	pending   bool
	stop      chan struct{}
	done      chan struct{}
}

// NewWriter starts the flushing goroutine; Close stops it.
func NewWriter(w io.Writer, flushEvery time.Duration) *Writer {
	ow := &Writer{w: w, buf: make([]byte, 0, bufferLimit), stop: make(chan struct{}), done: make(chan struct{})}
	go ow.flushLoop(flushEvery)
	return ow
}

func (w *Writer) flushLoop(every time.Duration) {
	defer close(w.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-w.stop:
			return
		case <-t.C:
			w.mu.Lock()
			if w.pending {
				w.flushLocked()
			}
			w.mu.Unlock()
		}
	}
}

// Write buffers p as one record.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		w.unwritten++
		return 0, w.err
	}
	w.buf = append(w.buf, p...)
	w.ends = append(w.ends, len(w.buf))
	w.pending = true
	if len(w.buf) >= bufferLimit {
		if err := w.flushLocked(); err != nil {
			return len(p), err
		}
	}
	return len(p), nil
}

// Flush writes out what is buffered.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.flushLocked()
}

func (w *Writer) flushLocked() error {
	if w.err != nil {
		return w.err
	}
	w.pending = false
	if len(w.buf) == 0 {
		return nil
	}
	n, err := w.w.Write(w.buf)
	if err == nil && n < len(w.buf) {
		err = io.ErrShortWrite
	}
	if err != nil {
		w.err = &WriteError{Err: err, w: w}
		// A record cut short counts as not written.
		for _, end := range w.ends {
			if end > n {
				w.unwritten++
			}
		}
	}
	w.buf, w.ends = w.buf[:0], w.ends[:0]
	return w.err
}

// WriteError is the Writer's sticky error. Its message ends with the
// number of records (events) that never reached the output, counted when
// it is printed, so any tool that returns it reports the loss the same
// way: "write /dev/stdout: no space left on device (12 events not
// written)". errors.Is sees through it (EPIPE stays EPIPE).
type WriteError struct {
	Err error
	w   *Writer
}

func (e *WriteError) Error() string {
	if n := e.w.Unwritten(); n > 0 {
		return fmt.Sprintf("%v (%d events not written)", e.Err, n)
	}
	return e.Err.Error()
}

func (e *WriteError) Unwrap() error { return e.Err }

// Unwritten is the number of records lost to a write error.
func (w *Writer) Unwritten() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.unwritten
}

// Err is the first write error, if any.
func (w *Writer) Err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// Close flushes and stops the timer; it is safe to call more than once.
func (w *Writer) Close() error {
	select {
	case <-w.stop:
	default:
		close(w.stop)
		<-w.done
	}
	return w.Flush()
}
