package lang

import (
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// watchpoint:ADDRESS:LENGTH:MODE is a hardware breakpoint (a perf event
// of type breakpoint): the program runs when the CPU reads (r), writes
// (w) or executes (x) the watched bytes. With -p PID it watches that
// process's threads, else every CPU.

// Hardware breakpoint types (linux/hw_breakpoint.h).
const (
	bpRead  = 1
	bpWrite = 2
	bpExec  = 4
)

// resolveWatchpoint fills a watchpoint target from ADDRESS:LENGTH:MODE.
func resolveWatchpoint(t Target, parts []string, errf func(string, ...any) error) ([]Target, error) {
	if len(parts) != 3 {
		return nil, errf("watchpoint probes are watchpoint:ADDRESS:LENGTH:MODE (watchpoint:0x10000000:8:rw); function-argument watchpoints are not supported")
	}
	addr, err := strconv.ParseUint(parts[0], 0, 64)
	if err != nil || addr == 0 {
		return nil, errf("watchpoint address %q: want a number (0x10000000)", parts[0])
	}
	n, err := strconv.ParseUint(parts[1], 10, 8)
	if err != nil || (n != 1 && n != 2 && n != 4 && n != 8) {
		return nil, errf("watchpoint length %q: want 1, 2, 4 or 8 bytes", parts[1])
	}
	var typ uint32
	for _, c := range parts[2] {
		bit := map[rune]uint32{'r': bpRead, 'w': bpWrite, 'x': bpExec}[c]
		if bit == 0 || typ&bit != 0 {
			return nil, errf("watchpoint mode %q: want r, w, x or rw", parts[2])
		}
		typ |= bit
	}
	if typ&bpExec != 0 && typ != bpExec || typ == bpRead {
		// The CPU has no read-only breakpoints; perf refuses x with r or w.
		return nil, errf("watchpoint mode %q: want w, rw or x", parts[2])
	}
	t.Text = "watchpoint:" + strings.Join(parts, ":")
	t.PerfType, t.PerfConfig, t.PerfPeriod = unix.PERF_TYPE_BREAKPOINT, 0, 1
	t.WatchAddr, t.WatchLen, t.WatchType = addr, n, typ
	return []Target{t}, nil
}
