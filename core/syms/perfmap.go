package syms

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
)

// perfMap is a JIT runtime's /tmp/perf-PID.map: "START SIZE name" lines
// in hex, written by the runtime (node --perf-basic-prof, the JVM with
// perf-map-agent, .NET with DOTNET_PerfMapEnabled) for code it generated.
type perfMap struct {
	syms []perfSym
}

type perfSym struct {
	start, size uint64
	name        string
}

// loadPerfMap reads the process's perf map through its root, under the PID
// the process knows itself by (its own PID namespace's), as the runtime
// named it. A process without one gets an empty map.
func loadPerfMap(pid int) *perfMap {
	pm := &perfMap{}
	f, err := os.Open(fmt.Sprintf("/proc/%d/root/tmp/perf-%d.map", pid, nsPID(pid)))
	if err != nil {
		return pm
	}
	defer f.Close()
	pm.syms = parsePerfMap(bufio.NewScanner(f))
	return pm
}

func parsePerfMap(s *bufio.Scanner) []perfSym {
	var out []perfSym
	s.Buffer(make([]byte, 64*1024), 1<<20)
	for s.Scan() {
		f := strings.SplitN(strings.TrimSpace(s.Text()), " ", 3)
		if len(f) != 3 {
			continue
		}
		start, err1 := strconv.ParseUint(strings.TrimPrefix(f[0], "0x"), 16, 64)
		size, err2 := strconv.ParseUint(strings.TrimPrefix(f[1], "0x"), 16, 64)
		if err1 != nil || err2 != nil || size == 0 {
			continue
		}
		out = append(out, perfSym{start: start, size: size, name: f[2]})
	}
	// Later lines win: a JIT that recompiled a range wrote it again.
	sort.SliceStable(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}

func (pm *perfMap) lookup(pid int, addr uint64) (Symbol, bool) {
	i := sort.Search(len(pm.syms), func(i int) bool { return pm.syms[i].start > addr }) - 1
	if i < 0 || addr >= pm.syms[i].start+pm.syms[i].size {
		return Symbol{}, false
	}
	s := pm.syms[i]
	return Symbol{Name: s.name, Addr: s.start, Offset: addr - s.start, Module: fmt.Sprintf("perf-%d.map", pid)}, true
}

// nsPID is the PID a process has in its own namespace (the last NSpid
// field of /proc/PID/status); pid itself where that is not known.
func nsPID(pid int) int {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return pid
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "NSpid:"); ok {
			fs := strings.Fields(rest)
			if len(fs) == 0 {
				break
			}
			if n, err := strconv.Atoi(fs[len(fs)-1]); err == nil {
				return n
			}
		}
	}
	return pid
}
