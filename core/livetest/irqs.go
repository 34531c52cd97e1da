package livetest

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// ProcInterrupts reads the numbered lines of /proc/interrupts (and
// arm64's IPI rows): runs per handler name (every handler of a shared
// line runs for each interrupt),
// names cut to nameLen-1 bytes as hardirqs keeps them.
func ProcInterrupts(t testing.TB, nameLen int) map[string]uint64 {
	t.Helper()
	data, err := os.ReadFile("/proc/interrupts")
	if err != nil {
		t.Fatal(err)
	}
	return parseInterrupts(string(data), nameLen)
}

func parseInterrupts(text string, nameLen int) map[string]uint64 {
	lines := strings.Split(text, "\n")
	ncpu := len(strings.Fields(lines[0]))
	out := map[string]uint64{}
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) < ncpu+2 {
			continue
		}
		var n uint64
		for _, v := range f[1 : ncpu+1] {
			c, _ := strconv.ParseUint(v, 10, 64)
			n += c
		}
		label := strings.TrimSuffix(f[0], ":")
		if _, err := strconv.Atoi(label); err != nil {
			// arm64's IPIs are interrupts whose handler is named "IPI",
			// shown as IPI0..IPIn rows; x86's NMI, LOC... do not go
			// through irq handlers.
			if ipi, ok := strings.CutPrefix(label, "IPI"); ok && ipi != "" {
				if _, err := strconv.Atoi(ipi); err == nil {
					out["IPI"] += n
				}
			}
			continue
		}
		if len(f) < ncpu+4 {
			continue
		}
		// chip, hwirq (x86: hwirq-type), the trigger where the kernel
		// shows it (CONFIG_GENERIC_IRQ_SHOW_LEVEL, arm64: "Level",
		// "Edge"), then the handler names, ", "-separated
		names := f[ncpu+3:]
		if (names[0] == "Level" || names[0] == "Edge") && len(names) > 1 {
			names = names[1:]
		}
		for _, name := range strings.Split(strings.Join(names, " "), ", ") {
			if len(name) > nameLen-1 {
				name = name[:nameLen-1]
			}
			out[name] += n
		}
	}
	return out
}

// ProcSoftirqs reads /proc/softirqs: runs per vector (lower case, as
// softirqs names them), over every CPU or only cpu (>= 0).
func ProcSoftirqs(t testing.TB, cpu int) map[string]uint64 {
	t.Helper()
	data, err := os.ReadFile("/proc/softirqs")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]uint64{}
	for _, l := range strings.Split(string(data), "\n")[1:] {
		f := strings.Fields(l)
		if len(f) < 2 {
			continue
		}
		name := strings.ToLower(strings.TrimSuffix(f[0], ":"))
		for i, v := range f[1:] {
			n, _ := strconv.ParseUint(v, 10, 64)
			if cpu < 0 || i == cpu {
				out[name] += n
			}
		}
	}
	return out
}

// SubCounts is a - b, key by key (a's keys).
func SubCounts(a, b map[string]uint64) map[string]uint64 {
	d := map[string]uint64{}
	for k, v := range a {
		d[k] = v - b[k]
	}
	return d
}
