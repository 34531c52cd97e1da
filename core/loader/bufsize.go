package loader

import (
	"fmt"
	"os"
	"strconv"

	"github.com/cilium/ebpf"
)

// BufferEnv overrides the event buffer size in bytes: the ring buffer's
// size, or each CPU's perf buffer. A power of two, at least one page and
// at most maxBufferBytes (the default is 1 MiB: bpfobj/include/probebox.bpf.h).
const BufferEnv = "PROBEBOX_BUFFER_BYTES"

// maxBufferBytes bounds the override: the kernel's own limit is far
// above what any machine can pin, and a typo must not try.
const maxBufferBytes = 1 << 30

// bufferBytes returns the override, 0 when unset.
func bufferBytes() (int, error) {
	v := os.Getenv(BufferEnv)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	page := os.Getpagesize()
	if err != nil || n < page || n > maxBufferBytes || n&(n-1) != 0 {
		return 0, fmt.Errorf("%s=%s: want a power of two from %d to %d bytes", BufferEnv, v, page, maxBufferBytes)
	}
	return n, nil
}

// RingPerCPU is a ring buffer size for a tool of bounded event rate:
// perCPU bytes for each possible CPU (the room libbpf-tools' perf buffers
// give each CPU), rounded up to a power of two and kept within [lo, hi].
// The ring is resident whole once mapped, so a small machine keeps a
// small one.
func RingPerCPU(perCPU, lo, hi int) int {
	cpus, err := ebpf.PossibleCPU()
	if err != nil || cpus < 1 {
		return hi
	}
	n := lo
	for n < perCPU*cpus && n < hi {
		n <<= 1
	}
	return n
}

func sizeRing(spec *ebpf.CollectionSpec, n int) {
	if m, ok := spec.Maps["events"]; ok && n > 0 && m.Type == ebpf.RingBuf {
		m.MaxEntries = uint32(n)
	}
}
