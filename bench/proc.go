package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// tracer is one tool run under the bench: probebox, a peer, or nothing.
type tracer struct {
	Name string   // "probebox", "libbpf-tools", "bpftrace"
	Argv []string // nil: untraced baseline
	Env  []string
	// lost reads the tool's own report of lost events from its output.
	lost func(out string) int64
}

var (
	probeboxLostRe = regexp.MustCompile(`(\d+) events lost in total`)
	peerLostRe     = regexp.MustCompile(`(?i)lost (\d+) events`)
)

func probeboxLost(out string) int64 {
	m := probeboxLostRe.FindStringSubmatch(out)
	if m == nil {
		return 0
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	return n
}

// peerLost sums "Lost N events" lines (libbpf-tools per CPU, bpftrace).
func peerLost(out string) int64 {
	var total int64
	for _, m := range peerLostRe.FindAllStringSubmatch(out, -1) {
		n, _ := strconv.ParseInt(m[1], 10, 64)
		total += n
	}
	return total
}

// running is a started tracer.
type running struct {
	cmd        *exec.Cmd
	stdoutPath string
	stderrPath string
	readyCPU   int64
	exited     chan struct{}
	// bpfNs and bpfRuns: run time and run count of the tool's BPF
	// programs (with kernel BPF statistics on), read at stop.
	bpfNs, bpfRuns int64
}

// start runs t with stdout to the file stdoutPath ("/dev/null" allowed) and
// stderr to a file beside it, and waits until it has attached.
func start(t tracer, stdoutPath, stderrPath string) (*running, error) {
	out, err := os.OpenFile(stdoutPath, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	defer out.Close()
	errf, err := os.Create(stderrPath)
	if err != nil {
		return nil, err
	}
	defer errf.Close()
	cmd := exec.Command(t.Argv[0], t.Argv[1:]...)
	cmd.Env = append(os.Environ(), t.Env...)
	cmd.Stdout, cmd.Stderr = out, errf
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	r := &running{cmd: cmd, stdoutPath: stdoutPath, stderrPath: stderrPath, exited: make(chan struct{})}
	go func() { cmd.Wait(); close(r.exited) }()
	if err := r.waitAttached(20 * time.Second); err != nil {
		r.kill()
		return nil, fmt.Errorf("%s: %w: %s", t.Name, err, tail(r.stderr(), 300))
	}
	r.readyCPU = cpuNs(cmd.Process.Pid)
	return r, nil
}

// waitAttached: the tool has an attached event source (a perf event or a
// BPF link among its file descriptors) and its set of descriptors has
// not changed for a while, i.e. it has set up its buffers and sits in its
// read loop. This works whatever the tool prints and wherever it prints
// it, /dev/null included; the start-up workload times the header instead.
func (r *running) waitAttached(timeout time.Duration) error {
	const settle = 300 * time.Millisecond
	deadline := time.Now().Add(timeout)
	pid := r.cmd.Process.Pid
	last, since := "", time.Now()
	for time.Now().Before(deadline) {
		select {
		case <-r.exited:
			return errors.New("exited before attaching")
		default:
		}
		sig, attached := fdSignature(pid)
		if sig != last {
			last, since = sig, time.Now()
		} else if attached && time.Since(since) >= settle {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return errors.New("did not attach in time")
}

func fdSignature(pid int) (string, bool) {
	dir := fmt.Sprintf("/proc/%d/fd", pid)
	ents, _ := os.ReadDir(dir)
	var links []string
	attached := false
	for _, e := range ents {
		l, err := os.Readlink(filepath.Join(dir, e.Name()))
		if err != nil {
			continue
		}
		if strings.Contains(l, "perf_event") || strings.Contains(l, "bpf_link") || strings.Contains(l, "bpf-link") {
			attached = true
		}
		links = append(links, e.Name()+"="+l)
	}
	sort.Strings(links)
	return strings.Join(links, ","), attached
}

// cpuNs is the CPU time of every thread of pid, from schedstat.
func cpuNs(pid int) int64 {
	tasks, _ := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	var total int64
	for _, t := range tasks {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/schedstat", pid, t.Name()))
		if err != nil {
			continue
		}
		f := strings.Fields(string(b))
		if len(f) > 0 {
			n, _ := strconv.ParseInt(f[0], 10, 64)
			total += n
		}
	}
	return total
}

// bpfStats sums run_time_ns and run_cnt over the BPF programs pid holds
// (zero unless kernel BPF statistics are enabled).
func bpfStats(pid int) (ns, runs int64) {
	dir := fmt.Sprintf("/proc/%d/fdinfo", pid)
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil || !strings.Contains(string(b), "run_time_ns:") {
			continue
		}
		for _, l := range strings.Split(string(b), "\n") {
			k, v, ok := strings.Cut(l, ":")
			if !ok {
				continue
			}
			n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			switch k {
			case "run_time_ns":
				ns += n
			case "run_cnt":
				runs += n
			}
		}
	}
	return ns, runs
}

// rssKB is VmRSS of pid in KiB.
func rssKB(pid int) int64 { return statusKB(pid, "VmRSS:") }

// statusKB is a field of /proc/PID/status in KiB (VmRSS:, VmHWM:), 0 when
// unknown.
func statusKB(pid int, key string) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), key); ok {
			n, _ := strconv.ParseInt(strings.Fields(v)[0], 10, 64)
			return n
		}
	}
	return 0
}

// settle waits until probe() stops changing for quiet (the tracer has
// drained its buffer), at most max.
func settle(probe func() int64, quiet, max time.Duration) {
	deadline := time.Now().Add(max)
	last, since := probe(), time.Now()
	for time.Now().Before(deadline) {
		time.Sleep(25 * time.Millisecond)
		if v := probe(); v != last {
			last, since = v, time.Now()
		} else if time.Since(since) >= quiet {
			return
		}
	}
}

// drain waits for the tracer to go quiet: its output file stops growing
// and it stops using CPU.
func (r *running) drain() {
	pid := r.cmd.Process.Pid
	settle(func() int64 { return fileSize(r.stdoutPath) + cpuNs(pid)/5_000_000 }, 250*time.Millisecond, 30*time.Second)
}

// stop interrupts the tool as Ctrl-C would and returns its CPU time spent
// since it was ready (shutdown excluded).
func (r *running) stop() (cpu time.Duration, err error) {
	cpu = time.Duration(cpuNs(r.cmd.Process.Pid) - r.readyCPU)
	r.bpfNs, r.bpfRuns = bpfStats(r.cmd.Process.Pid)
	r.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-r.exited:
	case <-time.After(15 * time.Second):
		r.kill()
		return cpu, errors.New("did not stop on SIGINT")
	}
	return cpu, nil
}

func (r *running) kill() {
	r.cmd.Process.Kill()
	<-r.exited
}

func (r *running) stderr() string {
	b, _ := os.ReadFile(r.stderrPath)
	return string(b)
}

func (r *running) stdout() string {
	if r.stdoutPath == os.DevNull {
		return ""
	}
	b, _ := os.ReadFile(r.stdoutPath)
	return string(b)
}

func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}

func tail(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		s = "..." + s[len(s)-n:]
	}
	return s
}
