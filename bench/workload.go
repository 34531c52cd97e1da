package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// workload is a started helper process waiting for its go signal.
type workload struct {
	cmd   *exec.Cmd
	in    io.WriteCloser
	out   *bufio.Reader
	Pid   int
	stats helperStats
}

// helperStats is what the helper reports after its run.
type helperStats struct {
	Ns       int64 // wall time of the loop
	CPU      int64 // the helper's CPU time during the loop, ns
	Produced int64 // events it caused (open calls, round trips)
	CSW      int64 // its context switches during the loop
}

func startWorkload(mode string, args ...string) (*workload, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, args...)
	cmd.Env = append(os.Environ(), helperEnv+"="+mode)
	if cModes[mode] {
		if cWorkload == "" {
			return nil, fmt.Errorf("the C workload for %s is not built", mode)
		}
		cmd = exec.Command(cWorkload, append([]string{mode}, args...)...)
	}
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	w := &workload{cmd: cmd, in: in, out: bufio.NewReader(out), Pid: cmd.Process.Pid}
	// The C workload says "ready" once the loader has mapped libc, which
	// a tracer started now (memleak -p) probes.
	if cModes[mode] {
		if l, err := w.out.ReadString('\n'); l != "ready\n" {
			w.abort()
			return nil, fmt.Errorf("C workload said %q: %v", l, err)
		}
	}
	return w, nil
}

// run lets the helper go and waits for its report.
func (w *workload) run() (helperStats, error) {
	if _, err := w.in.Write([]byte{'g'}); err != nil {
		return helperStats{}, err
	}
	line, err := w.out.ReadString('\n')
	w.cmd.Wait()
	if err != nil {
		return helperStats{}, fmt.Errorf("helper: %w", err)
	}
	var s helperStats
	for _, f := range strings.Fields(line) {
		k, v, _ := strings.Cut(f, "=")
		n, _ := strconv.ParseInt(v, 10, 64)
		switch k {
		case "ns":
			s.Ns = n
		case "cpu":
			s.CPU = n
		case "n":
			s.Produced = n
		case "csw":
			s.CSW = n
		}
	}
	if s.Produced == 0 && s.Ns == 0 {
		return s, fmt.Errorf("helper: bad report %q", line)
	}
	return s, nil
}

// cpuPer is the helper's CPU time per produced event, in ns.
func (s helperStats) cpuPer() float64 { return float64(s.CPU) / float64(max(s.Produced, 1)) }

// rate is produced events per second of wall time.
func (s helperStats) rate() float64 { return float64(s.Produced) / (float64(max(s.Ns, 1)) / 1e9) }

// abort ends a helper that will not be run.
func (w *workload) abort() {
	w.cmd.Process.Kill()
	w.cmd.Wait()
}

// runUntraced runs a helper with no tracer: the baseline.
func runUntraced(mode string, args ...string) (helperStats, error) {
	w, err := startWorkload(mode, args...)
	if err != nil {
		return helperStats{}, err
	}
	return w.run()
}
