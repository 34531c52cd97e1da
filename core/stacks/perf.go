package stacks

import (
	"errors"
	"fmt"
	"unsafe"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"
)

// Sampler is a cpu-clock perf event per CPU running a BPF program on
// each sample.
type Sampler struct {
	fds   []int
	links []link.Link
}

// StartSampling opens the events at hz samples a second (or, when period
// is not 0, every period nanoseconds of CPU time) on the given CPUs (all
// online ones when cpus is nil) and attaches prog.
func StartSampling(prog *ebpf.Program, hz, period uint64, cpus []int) (*Sampler, error) {
	attr := unix.PerfEventAttr{
		Type:   unix.PERF_TYPE_SOFTWARE,
		Config: unix.PERF_COUNT_SW_CPU_CLOCK,
		Size:   uint32(unsafe.Sizeof(unix.PerfEventAttr{})),
		Sample: hz,
		Bits:   unix.PerfBitFreq | unix.PerfBitDisabled,
	}
	if period > 0 {
		attr.Sample, attr.Bits = period, unix.PerfBitDisabled
	}
	all := cpus == nil
	if all {
		n, err := ebpf.PossibleCPU()
		if err != nil {
			return nil, err
		}
		for c := 0; c < n; c++ {
			cpus = append(cpus, c)
		}
	}
	s := &Sampler{}
	for _, cpu := range cpus {
		fd, err := unix.PerfEventOpen(&attr, -1, cpu, -1, unix.PERF_FLAG_FD_CLOEXEC)
		if all && errors.Is(err, unix.ENODEV) {
			continue // a possible but offline CPU
		}
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("perf_event_open (cpu-clock) on CPU %d: %w", cpu, err)
		}
		s.fds = append(s.fds, fd)
		// A BPF link where the kernel has them for perf events (5.15):
		// tools that list what is attached see it.
		if l, err := link.AttachRawLink(link.RawLinkOptions{Target: fd, Program: prog, Attach: ebpf.AttachPerfEvent}); err == nil {
			s.links = append(s.links, l)
		} else if err := unix.IoctlSetInt(fd, unix.PERF_EVENT_IOC_SET_BPF, prog.FD()); err != nil {
			s.Close()
			return nil, fmt.Errorf("attaching the sampling program on CPU %d: %w", cpu, err)
		}
		if err := unix.IoctlSetInt(fd, unix.PERF_EVENT_IOC_ENABLE, 0); err != nil {
			s.Close()
			return nil, fmt.Errorf("enabling sampling on CPU %d: %w", cpu, err)
		}
	}
	if len(s.fds) == 0 {
		return nil, fmt.Errorf("no online CPU to sample")
	}
	return s, nil
}

// Close stops sampling.
func (s *Sampler) Close() {
	for _, l := range s.links {
		l.Close()
	}
	s.links = nil
	for _, fd := range s.fds {
		unix.Close(fd)
	}
	s.fds = nil
}
