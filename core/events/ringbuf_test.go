package events

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"

	"github.com/probebox/probebox/core/livetest"
)

// ringWriter is a real BPF program that copies the test run's packet (its
// first recordBytes) into a ring buffer of one page, so records written
// one after another wrap around the end.
func ringWriter(t *testing.T, recordBytes int32) (*ebpf.Map, *ebpf.Program) {
	t.Helper()
	ring, err := ebpf.NewMap(&ebpf.MapSpec{Type: ebpf.RingBuf, MaxEntries: uint32(os.Getpagesize())})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ring.Close() })
	prog, err := ebpf.NewProgram(&ebpf.ProgramSpec{
		Type:    ebpf.SocketFilter,
		License: "GPL",
		Instructions: asm.Instructions{
			// bpf_skb_load_bytes(skb, 0, fp-64, recordBytes)
			asm.Mov.Imm(asm.R2, 0),
			asm.Mov.Reg(asm.R3, asm.RFP),
			asm.Add.Imm(asm.R3, -64),
			asm.Mov.Imm(asm.R4, recordBytes),
			asm.FnSkbLoadBytes.Call(),
			// bpf_ringbuf_output(ring, fp-64, recordBytes, 0)
			asm.LoadMapPtr(asm.R1, ring.FD()),
			asm.Mov.Reg(asm.R2, asm.RFP),
			asm.Add.Imm(asm.R2, -64),
			asm.Mov.Imm(asm.R3, recordBytes),
			asm.Mov.Imm(asm.R4, 0),
			asm.FnRingbufOutput.Call(),
			asm.Mov.Imm(asm.R0, 0),
			asm.Return(),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { prog.Close() })
	return ring, prog
}

// TestRingReaderWraps: records come back whole and in order through the
// single mapping, also those split by the end of the ring (a 40-byte
// record takes 48 bytes, which does not divide a page).
func TestRingReaderWraps(t *testing.T) {
	livetest.Require(t)
	const size = 40
	ring, prog := ringWriter(t, size)
	r, err := newRingReader(ring)
	if err != nil {
		t.Fatal(err)
	}
	defer r.shutdown()
	seq := 0
	for batch := 0; batch < 8; batch++ {
		var want [][]byte
		for i := 0; i < 50; i++ { // 50 x 48 bytes: fits a 4 KiB ring
			rec := bytes.Repeat([]byte(fmt.Sprintf("%07d|", seq)), size/8)
			seq++
			// The program sees the packet after its 14-byte Ethernet header.
			if _, err := prog.Run(&ebpf.RunOptions{Data: append(make([]byte, 14), rec...)}); err != nil {
				t.Fatal(err)
			}
			want = append(want, rec)
		}
		for i, w := range want {
			got, err := r.read(time.Now().Add(time.Second))
			if err != nil {
				t.Fatalf("batch %d record %d: %v", batch, i, err)
			}
			if !bytes.Equal(got, w) {
				t.Fatalf("batch %d record %d: %q, want %q", batch, i, got, w)
			}
		}
	}
	// Empty ring: the deadline ends the wait.
	if _, err := r.read(time.Now().Add(20 * time.Millisecond)); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("empty ring: %v, want a deadline error", err)
	}
	// A read waiting without deadline returns once the reader is shut.
	done := make(chan error, 1)
	go func() { _, err := r.read(time.Time{}); done <- err }()
	time.Sleep(20 * time.Millisecond)
	if err := r.shutdown(); err != nil {
		t.Errorf("shutdown: %v", err)
	}
	select {
	case err := <-done:
		if !errors.Is(err, os.ErrClosed) {
			t.Errorf("read after shutdown: %v, want os.ErrClosed", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("shutdown did not wake the waiting read")
	}
}

// TestRingReaderMapsDataOnce: the data pages are mapped once (the
// resident-memory point of ringReader).
func TestRingReaderMapsDataOnce(t *testing.T) {
	livetest.Require(t)
	ring, _ := ringWriter(t, 8)
	r, err := newRingReader(ring)
	if err != nil {
		t.Fatal(err)
	}
	defer r.shutdown()
	if got, want := len(r.prod), 2*os.Getpagesize(); got != want {
		t.Errorf("producer mapping %d bytes, want %d (position page + one ring)", got, want)
	}
}
