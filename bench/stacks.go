package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// stacks: system-wide profile at 99 Hz, as an operator runs it, with
// user stacks walked from .eh_frame tables (the default) and by frame
// pointers: probebox's own CPU (tables built for every process the
// samples reach, symbolization) and the tables' memory. Each run has
// its own workload (serverLoad: busy processes in binaries without frame
// pointers, short processes starting), besides whatever else the machine
// runs.
func (b *bench) stacks() {
	const wl = "stacks: system-wide profile -F 99"
	if !b.hasApplet("profile") {
		b.add(Row{Workload: wl, Tool: "profile", Tracer: "probebox", Status: "absent", Note: "profile is not in this probebox yet"})
		return
	}
	for _, mode := range []string{"eh_frame", "fp"} {
		tool := "profile --unwind=" + mode
		cpu, steady, stderr, wall, load, err := b.profileRun(mode)
		if err != nil {
			b.add(Row{Workload: wl, Tool: tool, Tracer: "probebox", Status: "failed", Note: err.Error() + "; " + load})
			continue
		}
		b.add(Row{Workload: wl, Tool: tool, Tracer: "probebox", Status: "ok", Figure: "CPU % of one CPU", Value: 100 * cpu.Seconds() / wall.Seconds(), Unit: "%",
			CPUms: float64(cpu.Milliseconds()), Note: fmt.Sprintf("%v of CPU over %v, start-up and printing included; %s", cpu.Round(time.Millisecond), wall.Round(100*time.Millisecond), load)})
		if steady.wall > 0 {
			b.add(Row{Workload: wl, Tool: tool, Tracer: "probebox", Status: "ok", Figure: "sampling CPU % of one CPU", Value: 100 * steady.cpu.Seconds() / steady.wall.Seconds(), Unit: "%",
				CPUms: float64(steady.cpu.Milliseconds()), Note: fmt.Sprintf("%v of CPU over the %v of sampling after the first half (start-up, first tables and printing left out)", steady.cpu.Round(time.Millisecond), steady.wall.Round(100*time.Millisecond))})
		}
		if mode != "eh_frame" {
			continue
		}
		if m := tablesLine.FindStringSubmatch(stderr); m != nil {
			kib, _ := strconv.ParseFloat(m[3], 64)
			b.add(Row{Workload: wl, Tool: tool, Tracer: "probebox", Status: "ok", Figure: "unwind table memory", Value: kib / 1024, Unit: "MiB",
				Note: fmt.Sprintf("%s binaries, %s rows, for %s processes", m[1], m[2], m[4])})
		}
		if m := walkedLine.FindStringSubmatch(stderr); m != nil {
			b.add(Row{Workload: wl, Tool: tool, Tracer: "probebox", Status: "ok", Figure: "user stacks before their tables", Value: atof(m[2]), Unit: "stacks",
				Note: fmt.Sprintf("of %s walked; %s frames by frame pointers in binaries whose table was being built", m[1], m[3])})
		}
	}
}

var (
	tablesLine = regexp.MustCompile(`unwind tables: (\d+) binaries, (\d+) rows, (\d+) KiB, for (\d+) processes`)
	walkedLine = regexp.MustCompile(`user stacks walked: (\d+) \((\d+) before.*\((\d+) of them in binaries`)
)

func atof(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v }

// profileRun runs profile for a fixed time, with the workload started a
// second before it and stopped after it, and returns its CPU time (user
// and system, from its rusage), its CPU during the second half of the
// sampling (from /proc/PID/stat: no start-up, no printing), its stderr
// (-v), how long it ran and what the workload ran.
func (b *bench) profileRun(mode string) (cpu time.Duration, steady window, stderr string, wall time.Duration, load string, err error) {
	l := b.startServerLoad()
	time.Sleep(time.Second) // running already, as a server's are
	cpu, steady, stderr, wall, err = b.profileFor(mode)
	return cpu, steady, stderr, wall, l.end(), err
}

// profileFor runs profile for a fixed time: see profileRun.
func (b *bench) profileFor(mode string) (time.Duration, window, string, time.Duration, error) {
	secs := 20
	if b.cfg.Runs <= 1 {
		secs = 5 // --quick
	}
	cmd := exec.Command(b.cfg.Probebox, "profile", "-F", "99", "-f", "-v", "--unwind="+mode, strconv.Itoa(secs))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	began := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, window{}, "", 0, err
	}
	var steady window
	half := time.Duration(secs) * time.Second / 2
	time.Sleep(half)
	if c0, ok := procCPU(cmd.Process.Pid); ok {
		t0 := time.Now()
		time.Sleep(half - time.Second) // ends before the samples are read
		if c1, ok := procCPU(cmd.Process.Pid); ok {
			steady = window{cpu: c1 - c0, wall: time.Since(t0)}
		}
	}
	if err := cmd.Wait(); err != nil {
		return 0, window{}, "", 0, fmt.Errorf("%v: %s", err, strings.TrimSpace(stderr.String()))
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, window{}, "", 0, fmt.Errorf("no rusage")
	}
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return cpu, steady, stderr.String(), time.Since(began), nil
}

// window is CPU time over a stretch of wall time.
type window struct{ cpu, wall time.Duration }

// procCPU is a running process's CPU time so far: the sum of its
// threads' run time in nanoseconds (/proc/PID/task/*/schedstat), else
// its user and system time from /proc/PID/stat (in clock ticks, 100 a
// second: 0.1% of one CPU over a 10 s window).
func procCPU(pid int) (time.Duration, bool) {
	if d, ok := threadsRunTime(pid); ok {
		return d, true
	}
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	// Fields after the command name, which may hold spaces and ")".
	i := bytes.LastIndexByte(raw, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(raw[i+1:]))
	if len(f) < 13 {
		return 0, false
	}
	ut, err1 := strconv.ParseUint(f[11], 10, 64) // utime, field 14
	st, err2 := strconv.ParseUint(f[12], 10, 64) // stime, field 15
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(ut+st) * 10 * time.Millisecond, true
}

// threadsRunTime sums the first field of each thread's schedstat (time
// on a CPU, ns; kernels with CONFIG_SCHED_INFO). Threads that ended are
// not counted: Go's rarely do.
func threadsRunTime(pid int) (time.Duration, bool) {
	dir := "/proc/" + strconv.Itoa(pid) + "/task"
	tids, err := os.ReadDir(dir)
	if err != nil {
		return 0, false
	}
	var sum time.Duration
	for _, tid := range tids {
		raw, err := os.ReadFile(dir + "/" + tid.Name() + "/schedstat")
		if err != nil {
			return 0, false
		}
		f := strings.Fields(string(raw))
		if len(f) == 0 {
			return 0, false
		}
		ns, err := strconv.ParseUint(f[0], 10, 64)
		if err != nil {
			return 0, false
		}
		sum += time.Duration(ns)
	}
	return sum, true
}
