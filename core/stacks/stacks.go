// Package stacks is what the stack tools (profile, offcputime, stackcount)
// share in user space: reading stack ids out of a BPF stack-trace map,
// naming them with the shared symbolizer (core/syms), and writing them as
// bcc prints them, folded for flamegraph.pl and inferno, as a pprof
// profile, or as a self-contained interactive SVG flame graph.
package stacks

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/cilium/ebpf"

	"github.com/probebox/probebox/core/syms"
)

// MaxDepth is the kernel's PERF_MAX_STACK_DEPTH, the frames of one stack
// map value (PB_MAX_STACK_DEPTH in bpfobj/include/stacks.bpf.h).
const MaxDepth = 127

// NotCollected is the stack id BPF stores for a stack it was asked not to
// collect (-U drops kernel stacks, -K user stacks).
const NotCollected = 0x7fffffff

const efault = 14

// Key is what BPF counted under: a thread and the ids of its two stacks.
type Key struct {
	PID, TID         uint32
	Comm             string // raw bytes up to the NUL; escape before printing
	UserID, KernelID int32
}

// Sample is one counted stack pair, named.
type Sample struct {
	PID, TID uint32
	Comm     string
	// User and Kernel are innermost first.
	User, Kernel []syms.Frame
	// UserMissed, KernelMissed: the stack map could not store the stack
	// (printed as bcc's "[Missed User Stack]").
	UserMissed, KernelMissed bool
	// NoUser, NoKernel: the stack was not collected (-K, -U) or there is
	// none (a kernel thread has no user stack).
	NoUser, NoKernel bool
	Value            uint64
}

// Resolver turns keys into samples through one stack map.
type Resolver struct {
	Stacks *ebpf.Map
	// UserStacks, when set, holds the user stacks instead of Stacks: the
	// .eh_frame walker's (bpfobj/include/unwind.bpf.h), in the same
	// layout.
	UserStacks *ebpf.Map
	Sym        *syms.Symbolizer
	buf        []byte
	ips        []uint64
}

// NewResolver reads stacks out of m.
func NewResolver(m *ebpf.Map, sym *syms.Symbolizer) *Resolver {
	return &Resolver{Stacks: m, Sym: sym, buf: make([]byte, 8*MaxDepth), ips: make([]uint64, MaxDepth)}
}

// Resolve names the stacks of k.
func (r *Resolver) Resolve(k Key, value uint64) Sample {
	s := Sample{PID: k.PID, TID: k.TID, Comm: k.Comm, Value: value}
	var ips []uint64
	user := r.Stacks
	if r.UserStacks != nil {
		user = r.UserStacks
	}
	ips, s.NoUser, s.UserMissed = r.read(user, k.UserID)
	if len(ips) > 0 {
		s.User = r.Sym.UserStack(int(k.PID), ips)
	}
	ips, s.NoKernel, s.KernelMissed = r.read(r.Stacks, k.KernelID)
	if len(ips) > 0 {
		s.Kernel = trimTracing(r.Sym.KernelStack(ips))
	}
	return s
}

// tracingFrames start the names of the frames a stack taken from a BPF
// program begins with: the program and the tracepoint machinery that ran
// it, not the traced code (bcc's kprobe-based tools never see them).
var tracingFrames = []string{"bpf_prog_", "bpf_trace_run", "__bpf_trace_", "perf_trace_", "trace_event_raw_event_", "trace_call_bpf", "perf_tp_event", "__traceiter_", "bpf_get_stack"}

func trimTracing(fs []syms.Frame) []syms.Frame {
	for len(fs) > 1 {
		tracing := false
		for _, p := range tracingFrames {
			if strings.HasPrefix(fs[0].Name, p) {
				tracing = true
				break
			}
		}
		if !tracing {
			break
		}
		fs = fs[1:]
	}
	return fs
}

// read returns a stack's addresses; none with none=true when the stack was
// not collected or does not exist, missed=true when it was lost.
func (r *Resolver) read(m *ebpf.Map, id int32) (ips []uint64, none, missed bool) {
	switch {
	case id == NotCollected || id == -efault:
		return nil, true, false
	case id < 0:
		return nil, false, true
	}
	if err := m.Lookup(uint32(id), &r.buf); err != nil {
		// Evicted since it was counted (or cleared): lost all the same.
		return nil, false, true
	}
	n := 0
	for ; n < MaxDepth; n++ {
		r.ips[n] = binary.NativeEndian.Uint64(r.buf[8*n:])
		if r.ips[n] == 0 {
			break
		}
	}
	return r.ips[:n], n == 0, false
}

// Clear deletes every stack of the map (between intervals, so stack ids
// of the next one are fresh and the map does not fill).
func Clear(m *ebpf.Map) error {
	var id uint32
	var ids []uint32
	it := m.Iterate()
	var val []byte
	for it.Next(&id, &val) {
		ids = append(ids, id)
	}
	for _, id := range ids {
		if err := m.Delete(id); err != nil && !errors.Is(err, ebpf.ErrKeyNotExist) {
			return fmt.Errorf("clearing %s: %w", m.String(), err)
		}
	}
	return it.Err()
}

// Merge adds up samples of the same process name, PID and stacks as
// printed (the threads of a process; stacks that differ only in where
// inside the same functions they were sampled, which the stack map holds
// apart).
func (f Format) Merge(in []Sample) []Sample {
	idx := map[string]int{}
	var out []Sample
	for _, s := range in {
		k := fmt.Sprintf("%d\x00%s\x00%s", s.PID, s.Comm, strings.Join(f.Folded(s), "\x00"))
		if i, ok := idx[k]; ok {
			out[i].Value += s.Value
			continue
		}
		idx[k] = len(out)
		s.TID = s.PID
		out = append(out, s)
	}
	return out
}

// SortAscending orders samples as bcc prints them: the largest last, next
// to the prompt; ties by process and stack so output is stable.
func SortAscending(s []Sample) {
	// Texts are made once per sample, not once per comparison.
	texts := make([]string, len(s))
	order := make([]int, len(s))
	for i := range s {
		texts[i], order[i] = stackText(s[i]), i
	}
	sort.SliceStable(order, func(a, b int) bool {
		i, j := order[a], order[b]
		if s[i].Value != s[j].Value {
			return s[i].Value < s[j].Value
		}
		if s[i].PID != s[j].PID {
			return s[i].PID < s[j].PID
		}
		return texts[i] < texts[j]
	})
	sorted := make([]Sample, len(s))
	for n, i := range order {
		sorted[n] = s[i]
	}
	copy(s, sorted)
}

func stackText(s Sample) string {
	var b strings.Builder
	for _, fs := range [][]syms.Frame{s.User, s.Kernel} {
		for _, f := range fs {
			b.WriteString(f.Name)
			b.WriteByte(';')
		}
	}
	return b.String()
}
