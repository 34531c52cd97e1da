package trace

import (
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
)

// TestLiveBufSameAsBpftrace: buf() with a literal and a run-time length,
// one longer than bpftrace's 64 bytes, printed with %r, as a map key and
// as a map value, from a write(2) of the test's own.
func TestLiveBufSameAsBpftrace(t *testing.T) {
	data := make([]byte, 96)
	for i := range data {
		data[i] = byte('A' + i%26)
	}
	copy(data, "hi\x01\xffthere\n\\x\t")
	const n = 23
	program := fmt.Sprintf(`tracepoint:syscalls:sys_enter_write /pid == %d && args->count == %d/ {
	printf("[%%r] [%%r]\n", buf(args->buf, args->count), buf(args->buf, 3));
	@[buf(args->buf, 4)] = count(); @c = buf(args->buf, 5); @b = buf(args->buf, 100); }`, os.Getpid(), n)
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	ours, theirs := bothSee(t, program, func() {
		if _, err := syscall.Write(int(null.Fd()), data[:n]); err != nil {
			t.Fatal(err)
		}
	})
	want := `[hi\x01\xffthere\x0a\x\x09NOPQRSTUVW] [hi\x01]` // a backslash is printable: as bpftrace, kept
	if !strings.HasPrefix(ours, want+"\n") || !strings.Contains(ours, "\n@[hi\\x01\\xff]: 1\n") {
		t.Errorf("probebox trace:\n%s\nwant it to start with %s and count @[hi\\x01\\xff]", ours, want)
	}
	if ours != theirs {
		t.Errorf("probebox trace:\n%s\nbpftrace:\n%s", ours, theirs)
	}
}
