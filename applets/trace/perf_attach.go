package trace

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"unsafe"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/applets/trace/lang"
)

// attachPerf opens a perf event and runs prog on each sample: profile's
// cpu-clock sampling, a software: or hardware: event every PerfPeriod
// occurrences, or a watchpoint's breakpoint. Events are opened on every
// CPU, except a watchpoint with -p, opened on each of the process's
// threads (a breakpoint on a user address belongs to one address space).
func (s *session) attachPerf(p *lang.CompiledProbe, prog *ebpf.Program) error {
	t := p.Target
	attr := unix.PerfEventAttr{Type: unix.PERF_TYPE_SOFTWARE, Config: unix.PERF_COUNT_SW_CPU_CLOCK, Size: uint32(unsafe.Sizeof(unix.PerfEventAttr{}))}
	switch {
	case t.Kind == "watchpoint":
		attr.Type, attr.Sample, attr.Bp_type, attr.Ext1, attr.Ext2 = t.PerfType, 1, t.WatchType, t.WatchAddr, t.WatchLen
	case t.Kind != "profile":
		attr.Type, attr.Config, attr.Sample = t.PerfType, t.PerfConfig, t.PerfPeriod
	case t.Hz > 0:
		attr.Sample, attr.Bits = t.Hz, unix.PerfBitFreq
	default:
		attr.Sample = uint64(t.Every.Nanoseconds())
	}
	type where struct{ pid, cpu int }
	var places []where
	if t.Kind == "watchpoint" && s.compiled.PID > 0 {
		tids, err := threads(int(s.compiled.PID))
		if err != nil {
			return fmt.Errorf("attaching %s: %w", t.Text, err)
		}
		for _, tid := range tids {
			places = append(places, where{tid, -1})
		}
	} else {
		ncpu, err := ebpf.PossibleCPU()
		if err != nil {
			return err
		}
		for cpu := 0; cpu < ncpu; cpu++ {
			places = append(places, where{-1, cpu})
		}
	}
	for _, w := range places {
		fd, err := unix.PerfEventOpen(&attr, w.pid, w.cpu, -1, unix.PERF_FLAG_FD_CLOEXEC)
		switch {
		case errors.Is(err, unix.ENODEV) && w.cpu >= 0:
			continue // a possible but offline CPU
		case errors.Is(err, unix.ESRCH) && w.pid > 0:
			continue // a thread that has just exited
		case err != nil && t.Kind == "hardware" && (errors.Is(err, unix.ENOENT) || errors.Is(err, unix.EOPNOTSUPP)):
			return fmt.Errorf("attaching %s: this machine has no hardware counter for it (no PMU, as in most virtual machines: perf_event_open: %v)", t.Text, err)
		case err != nil && t.Kind == "watchpoint" && (errors.Is(err, unix.ENOSPC) || errors.Is(err, unix.ENOENT) || errors.Is(err, unix.EOPNOTSUPP)):
			return fmt.Errorf("attaching %s: no hardware breakpoint is free or available for it (perf_event_open: %v)", t.Text, err)
		case err != nil:
			return fmt.Errorf("attaching %s: perf_event_open (pid %d, CPU %d): %w", t.Text, w.pid, w.cpu, err)
		}
		s.perfFDs = append(s.perfFDs, fd)
		if t.Kind == "watchpoint" {
			if s.watchFDs == nil {
				s.watchFDs = map[uint64][]int{}
			}
			s.watchFDs[t.WatchAddr] = append(s.watchFDs[t.WatchAddr], fd)
		}
		if err := unix.IoctlSetInt(fd, unix.PERF_EVENT_IOC_SET_BPF, prog.FD()); err != nil {
			return fmt.Errorf("attaching %s: %w", t.Text, err)
		}
		if err := unix.IoctlSetInt(fd, unix.PERF_EVENT_IOC_ENABLE, 0); err != nil {
			return fmt.Errorf("attaching %s: %w", t.Text, err)
		}
	}
	return nil
}

// unwatch stops the watchpoints on addr (unwatch()): their breakpoints
// are disabled, and closed with the other perf events at the end.
func (s *session) unwatch(addr uint64) {
	for _, fd := range s.watchFDs[addr] {
		unix.IoctlSetInt(fd, unix.PERF_EVENT_IOC_DISABLE, 0)
	}
	delete(s.watchFDs, addr)
}

// threads lists a process's thread ids.
func threads(pid int) ([]int, error) {
	entries, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		return nil, err
	}
	var tids []int
	for _, e := range entries {
		if tid, err := strconv.Atoi(e.Name()); err == nil {
			tids = append(tids, tid)
		}
	}
	return tids, nil
}
