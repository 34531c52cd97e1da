package loader

import (
	"fmt"
	"os"
	"strconv"

	"github.com/cilium/ebpf"
)

// BufferEnv overrides the event buffer size in bytes: the ring buffer's
// size, or each CPU's perf buffer. A power of two, at least one page.
const BufferEnv = "PROBEBOX_BUFFER_BYTES"

// bufferBytes returns the override, 0 when unset.
func bufferBytes() (int, error) {
	v := os.Getenv(BufferEnv)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	page := os.Getpagesize()
	if err != nil || n < page || n&(n-1) != 0 {
		return 0, fmt.Errorf("%s=%s: want a power of two of at least %d bytes", BufferEnv, v, page)
	}
	return n, nil
}

func sizeRing(spec *ebpf.CollectionSpec, n int) {
	if m, ok := spec.Maps["events"]; ok && n > 0 && m.Type == ebpf.RingBuf {
		m.MaxEntries = uint32(n)
	}
}
