package main

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/probebox/probebox/core/procmaps"
	"github.com/probebox/probebox/core/syms"
)

// symbolize: the stack tools' symbolizer names 10,000 unique stacks of 16
// kernel and 16 user frames (addresses drawn from the kernel's text
// symbols and from this program's own text), from a cold start: loading
// kallsyms and the ELF file are part of the time, as in a first profile.
func (b *bench) symbolize() {
	const wl, stacks, depth = "catalogue: symbolization", 10_000, 16
	fail := func(err error) {
		b.add(Row{Workload: wl, Tool: "symbolizer", Tracer: "probebox", Status: "failed", Figure: "ms for 10,000 stacks", Note: err.Error()})
	}
	kernel, err := kernelTextAddrs()
	if err != nil {
		fail(err)
		return
	}
	lo, hi, err := ownText()
	if err != nil {
		fail(err)
		return
	}
	rng := rand.New(rand.NewPCG(1, 2))
	type stack struct{ k, u []uint64 }
	all := make([]stack, stacks)
	for i := range all {
		s := stack{k: make([]uint64, depth), u: make([]uint64, depth)}
		for j := 0; j < depth; j++ {
			s.k[j] = kernel[rng.IntN(len(kernel))] + uint64(rng.IntN(64))
			s.u[j] = lo + uint64(rng.Int64N(int64(hi-lo)))
		}
		all[i] = s
	}
	// CPU time as well as wall time: under other load the wall time is
	// mostly waiting for a CPU.
	var ru0, ru1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	start := time.Now()
	sym := syms.NewSymbolizer()
	named := 0
	var kernelTime time.Duration
	for _, s := range all {
		k := time.Now()
		for _, f := range sym.KernelStack(s.k) {
			if f.Name != "" && f.Name[0] != '[' {
				named++
			}
		}
		kernelTime += time.Since(k)
		for _, f := range sym.UserStack(os.Getpid(), s.u) {
			if f.Name != "" && f.Name[0] != '[' {
				named++
			}
		}
	}
	took := time.Since(start)
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	cpu := float64(cpuTime(ru1)-cpuTime(ru0)) / 1e6
	ms := float64(took.Microseconds()) / 1000
	b.add(Row{Workload: wl, Tool: "symbolizer", Tracer: "probebox", Status: "ok", Figure: "ms for 10,000 stacks", Value: ms, Unit: "ms",
		Events: stacks, Target: "< 1000 ms", Met: ptr(ms < 1000),
		Note: fmt.Sprintf("%d kernel + %d user frames each, cold start (kernel frames %.0f ms of it; process CPU %.0f ms); %d of %d frames named",
			depth, depth, float64(kernelTime.Microseconds())/1000, cpu, named, 2*depth*stacks)})
}

// kernelTextAddrs: the addresses of the kernel's text symbols.
func kernelTextAddrs() ([]uint64, error) {
	f, err := os.Open("/proc/kallsyms")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []uint64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) < 3 || (fs[1] != "t" && fs[1] != "T") {
			continue
		}
		if a, err := strconv.ParseUint(fs[0], 16, 64); err == nil && a != 0 {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no kernel text addresses in /proc/kallsyms (kptr_restrict?)")
	}
	return out, sc.Err()
}

// ownText: this program's first executable mapping.
func ownText() (lo, hi uint64, err error) {
	maps, err := procmaps.Read(0, procmaps.ExecFiles)
	if err != nil {
		return 0, 0, err
	}
	if len(maps) > 0 {
		return maps[0].Start, maps[0].End, nil
	}
	return 0, 0, fmt.Errorf("no executable mapping in /proc/self/maps")
}
