package exporter

import (
	"fmt"
	"strconv"

	"github.com/cilium/ebpf"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/applets/syscount"
	bpfobj "github.com/probebox/probebox/bpfobj/syscount"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/sysnames"
)

// sysKind counts every syscall by number, and failures by errno, with
// syscount's own program (count_errnos mode): both maps only grow.
var sysKind = kind{
	name:    "syscount",
	metrics: "probebox_syscalls_total (by syscall), probebox_syscall_errors_total (by errno)",
	hooks:   sysHooks,
	new:     func(*options) source { return &sysSource{} },
	costly:  "a BPF program run on every syscall of the machine",
}

// sysHooks are syscount's without the syscall entry: counting needs only
// the exit (the number and the result), and the entry's program would
// run on every syscall for nothing (it only starts latency timing).
var sysHooks = exitOnly(syscount.Hooks)

func exitOnly(hooks []attach.Hook) []attach.Hook {
	out := make([]attach.Hook, len(hooks))
	for i, h := range hooks {
		out[i] = h
		out[i].Candidates = make([]attach.Candidate, len(h.Candidates))
		for j, c := range h.Candidates {
			out[i].Candidates[j] = c
			out[i].Candidates[j].Attach = nil
			for _, a := range c.Attach {
				if a.Target != "sys_enter" {
					out[i].Candidates[j].Attach = append(out[i].Candidates[j].Attach, a)
				}
			}
		}
	}
	return out
}

var (
	sysDesc = prometheus.NewDesc("probebox_syscalls_total",
		"System calls made, by syscall name (syscount).", []string{"syscall"}, nil)
	sysErrDesc = prometheus.NewDesc("probebox_syscall_errors_total",
		"System calls that failed, by errno name (syscount -x).", []string{"errno"}, nil)
)

// Map sizes: syscall numbers and errnos are bounded by the kernel (about
// 460 syscalls on x86_64 and arm64; errnos 1-4095, some 130 in use), so
// these labels need no cap.
const (
	sysKeys = 1024
	// sysFullErrnos is SYSCOUNT_FULL_ERRNOS (bpfobj/syscount/syscount.h).
	sysFullErrnos = 2
)

type sysSource struct{}

func (s *sysSource) load(opt *options) (*loader.Object, error) {
	return loader.Load(loader.Request{
		Tool: "exporter: syscount",
		Spec: func() (*ebpf.CollectionSpec, error) {
			sp, err := bpfobj.LoadSyscount()
			if err != nil {
				return nil, err
			}
			delete(sp.Maps, "events")
			delete(sp.Maps, "lost_events")
			sp.Maps["counts"].MaxEntries = sysKeys
			sp.Maps["start"].MaxEntries = 1 // no latency: unused
			return sp, nil
		},
		Hooks:  sysHooks,
		Consts: map[string]any{"count_errnos": true},
		BTF:    opt.btf,
	})
}

func (s *sysSource) bounded() []loader.Bounded {
	return []loader.Bounded{{Slot: 0, Map: "counts"}, {Slot: sysFullErrnos, Map: "errnos"}}
}

func (s *sysSource) describe(ch chan<- *prometheus.Desc) {
	ch <- sysDesc
	ch <- sysErrDesc
}

func (s *sysSource) collect(obj *loader.Object, ch chan<- prometheus.Metric) error {
	var (
		nr  uint32
		val bpfobj.SyscountSyscountVal
	)
	// Two numbers can share a name (x86's compat tables do not, but a
	// number the table lacks is named by number): sum by name.
	byName := map[string]uint64{}
	it := obj.Map("counts").Iterate()
	for it.Next(&nr, &val) {
		byName[syscallLabel(int(nr))] += val.Count
	}
	if err := it.Err(); err != nil {
		return fmt.Errorf("reading counts: %w", err)
	}
	for name, n := range byName {
		ch <- prometheus.MustNewConstMetric(sysDesc, prometheus.CounterValue, float64(n), name)
	}
	var (
		errno uint32
		n     uint64
	)
	it = obj.Map("errnos").Iterate()
	for it.Next(&errno, &n) {
		ch <- prometheus.MustNewConstMetric(sysErrDesc, prometheus.CounterValue, float64(n), errnoLabel(errno))
	}
	if err := it.Err(); err != nil {
		return fmt.Errorf("reading errnos: %w", err)
	}
	return nil
}

// syscallLabel is the syscall's name (core/sysnames, as syscount prints
// it), or nr_N for a number this build cannot name.
func syscallLabel(nr int) string {
	if sysnames.Known(nr) {
		return sysnames.Name(nr)
	}
	return "nr_" + strconv.Itoa(nr)
}

// errnoLabel is the errno's name (ENOENT), or its number.
func errnoLabel(e uint32) string {
	if name := unix.ErrnoName(unix.Errno(e)); name != "" {
		return name
	}
	return strconv.Itoa(int(e))
}
