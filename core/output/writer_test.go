package output

import (
	"errors"
	"testing"
	"time"
)

// short accepts the first limit bytes, then fails as a full disk does.
type short struct{ limit, got int }

func (s *short) Write(p []byte) (int, error) {
	room := s.limit - s.got
	if len(p) <= room {
		s.got += len(p)
		return len(p), nil
	}
	s.got += max(room, 0)
	return max(room, 0), errors.New("no space left on device")
}

func TestWriterCountsUnwritten(t *testing.T) {
	sink := &short{limit: 25}
	w := NewWriter(sink, time.Hour)
	for i := 0; i < 5; i++ {
		w.Write([]byte("0123456789\n")) // 11 bytes: two fit, the third is cut
	}
	if err := w.Flush(); err == nil {
		t.Fatal("flush past the limit succeeded")
	}
	if n := w.Unwritten(); n != 3 {
		t.Errorf("Unwritten = %d after the failed flush, want 3", n)
	}
	w.Write([]byte("later\n"))
	w.Write([]byte("later\n"))
	if n := w.Unwritten(); n != 5 {
		t.Errorf("Unwritten = %d after two more writes, want 5", n)
	}
	if w.Close() == nil || w.Err() == nil {
		t.Error("Close or Err hid the error")
	}
	if msg := w.Err().Error(); msg != "no space left on device (5 events not written)" {
		t.Errorf("message %q", msg)
	}
}

// A write large enough to pass the buffer limit goes out at once.
func TestWriterFlushesWhenFull(t *testing.T) {
	var sink syncBuffer
	w := NewWriter(&sink, time.Hour)
	defer w.Close()
	line := make([]byte, bufferLimit)
	if _, err := w.Write(line); err != nil {
		t.Fatal(err)
	}
	if len(sink.String()) != bufferLimit {
		t.Errorf("%d bytes out, want %d", len(sink.String()), bufferLimit)
	}
}
