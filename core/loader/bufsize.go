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

func sizeRing(spec *ebpf.CollectionSpec, n int) {
	if m, ok := spec.Maps["events"]; ok && n > 0 && m.Type == ebpf.RingBuf {
		m.MaxEntries = uint32(n)
	}
}
