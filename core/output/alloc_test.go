package output

import (
	"io"
	"testing"
	"time"
)

// The streaming path allocates nothing per event: a record written to
// the Writer is copied into its reused buffer, and flushing reuses it too.
func TestWriterNoAllocPerRecord(t *testing.T) {
	w := NewWriter(io.Discard, time.Hour)
	defer w.Close()
	line := []byte("1234   cat                3   0 /etc/passwd\n")
	for i := 0; i < 5000; i++ { // grow the buffers to their steady size
		w.Write(line)
	}
	w.Flush()
	n := testing.AllocsPerRun(10000, func() {
		w.Write(line)
	})
	if n != 0 {
		t.Errorf("%.2f allocations per record, want 0", n)
	}
}
