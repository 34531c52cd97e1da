package output

import (
	"bufio"
	"io"
	"sync"
	"time"
)

// Writer buffers output and flushes it at least every flushEvery, so that
// `tool | grep` sees events promptly while a flood is still written in big
// chunks. The first write error is kept and returned by every later call,
// so a tool whose reader went away (EPIPE) stops cleanly.
type Writer struct {
	mu      sync.Mutex
	buf     *bufio.Writer
	err     error
	pending bool
	stop    chan struct{}
	done    chan struct{}
}

// NewWriter starts the flushing goroutine; Close stops it.
func NewWriter(w io.Writer, flushEvery time.Duration) *Writer {
	ow := &Writer{buf: bufio.NewWriterSize(w, 64*1024), stop: make(chan struct{}), done: make(chan struct{})}
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

// Write buffers p.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return 0, w.err
	}
	n, err := w.buf.Write(p)
	if err != nil {
		w.err = err
	}
	w.pending = true
	return n, err
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
	if err := w.buf.Flush(); err != nil {
		w.err = err
	}
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
