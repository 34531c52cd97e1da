package runqlat

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
)

const wait = 20 * time.Second

type jsonHist struct {
	PID     *int    `json:"pid"`
	TID     *int    `json:"tid"`
	PidNS   *uint32 `json:"pidns"`
	Comm    string  `json:"comm"`
	Unit    string  `json:"unit"`
	Buckets []struct {
		Low   uint64 `json:"low"`
		High  uint64 `json:"high"`
		Count uint64 `json:"count"`
	} `json:"buckets"`
}

type jsonSummary struct {
	Summary    int               `json:"summary"`
	Time       string            `json:"time"`
	Histograms []jsonHist        `json:"histograms"`
	NotCounted map[string]uint64 `json:"not_counted"`
}

func (h jsonHist) total() (n uint64) {
	for _, b := range h.Buckets {
		n += b.Count
	}
	return n
}

func parseSummary(t *testing.T, line string) jsonSummary {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(line))
	dec.DisallowUnknownFields()
	var s jsonSummary
	if err := dec.Decode(&s); err != nil {
		t.Fatalf("line %q is not a runqlat summary: %v", line, err)
	}
	return s
}

// busy starts n CPU-bound children, so that on this machine's few cores
// they keep waiting for each other on the run queue. setup may adjust each
// command before it starts.
func busy(t *testing.T, n int, setup func(*exec.Cmd)) []int {
	t.Helper()
	var pids []int
	for range n {
		cmd := exec.Command("/bin/sh", "-c", "while :; do :; done")
		if setup != nil {
			setup(cmd)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		pids = append(pids, cmd.Process.Pid)
	}
	return pids
}

// start runs runqlat with args and waits until it is attached.
func start(t *testing.T, args ...string) *livetest.Tool {
	t.Helper()
	livetest.Require(t)
	tool := livetest.Start(t, Applet, append([]string{"-v"}, args...)...)
	if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("runqlat did not start; stderr:\n%s", strings.Join(tool.Stderr(), "\n"))
	}
	return tool
}

// waitSummary waits for a JSON summary that satisfies match.
func waitSummary(t *testing.T, tool *livetest.Tool, match func(jsonSummary) bool) (jsonSummary, bool) {
	t.Helper()
	var found jsonSummary
	_, ok := tool.WaitStdout(t, wait, func(l string) bool {
		s := parseSummary(t, l)
		if match(s) {
			found = s
			return true
		}
		return false
	})
	return found, ok
}

func hasPID(pid int) func(jsonSummary) bool {
	return func(s jsonSummary) bool {
		for _, h := range s.Histograms {
			if h.PID != nil && *h.PID == pid && h.total() > 0 {
				return true
			}
		}
		return false
	}
}

// TestLiveIntervalCount: with a load running, "1 2" prints two non-empty
// histograms and ends by itself, on each hook candidate.
func TestLiveIntervalCount(t *testing.T) {
	for _, tc := range []struct{ disable, hook string }{
		{"", "using tp_btf sched_wakeup + tp_btf sched_wakeup_new + tp_btf sched_switch"},
		{"tp_btf", "using raw_tracepoint sched_wakeup + raw_tracepoint sched_wakeup_new + raw_tracepoint sched_switch"},
	} {
		t.Run("disable="+tc.disable, func(t *testing.T) {
			if tc.disable != "" && livetest.RerunFresh(t, "PROBEBOX_DISABLE="+tc.disable) {
				return
			}
			t.Setenv("PROBEBOX_DISABLE", tc.disable)
			busy(t, 3, nil)
			tool := start(t, "1", "2")
			status, exited := tool.Exited(wait)
			if !exited || status != 0 {
				t.Fatalf("runqlat 1 2: exited %v, status %d; stderr:\n%s", exited, status, strings.Join(tool.Stderr(), "\n"))
			}
			if !strings.Contains(strings.Join(tool.Stderr(), "\n"), tc.hook) {
				t.Errorf("-v does not say %q:\n%s", tc.hook, strings.Join(tool.Stderr(), "\n"))
			}
			out := tool.Stdout()
			if len(out) == 0 || out[0] != "Tracing run queue latency... Hit Ctrl-C to end." {
				t.Fatalf("banner missing:\n%s", strings.Join(out, "\n"))
			}
			headers, rows := 0, 0
			for _, l := range out {
				if l == "     usecs               : count    distribution" {
					headers++
				}
				if f := strings.Fields(l); len(f) >= 5 && f[1] == "->" && f[4] != "0" {
					rows++
				}
			}
			if headers != 2 || rows == 0 {
				t.Errorf("want 2 non-empty histograms, got %d headers, %d non-empty rows:\n%s", headers, rows, strings.Join(out, "\n"))
			}
		})
	}
}

// TestLiveJSONCount: --json 1 3 prints exactly three parseable summaries.
func TestLiveJSONCount(t *testing.T) {
	busy(t, 3, nil)
	tool := start(t, "--json", "-m", "1", "3")
	if status, exited := tool.Exited(wait); !exited || status != 0 {
		t.Fatalf("exited %v, status %d; stderr:\n%s", exited, status, strings.Join(tool.Stderr(), "\n"))
	}
	out := tool.Stdout()
	if len(out) != 3 {
		t.Fatalf("%d lines, want 3:\n%s", len(out), strings.Join(out, "\n"))
	}
	var total uint64
	for i, l := range out {
		s := parseSummary(t, l)
		if s.Summary != i+1 || s.Time != "" {
			t.Errorf("summary %d: %+v", i+1, s)
		}
		if len(s.Histograms) > 1 {
			t.Errorf("summary %d: %d histograms without -P/-L/--pidnss", i+1, len(s.Histograms))
		}
		for _, h := range s.Histograms {
			if h.Unit != "msecs" || h.PID != nil || h.Comm != "" {
				t.Errorf("histogram %+v: want unit msecs and no key", h)
			}
			total += h.total()
		}
	}
	if total == 0 {
		t.Error("no run queue waits counted under a CPU-bound load")
	}
}

// TestLivePerPID: -P shows a histogram under the load's PID, named "sh".
func TestLivePerPID(t *testing.T) {
	pids := busy(t, 3, nil)
	tool := start(t, "-P", "1")
	wanted := map[string]bool{}
	for _, pid := range pids {
		wanted[fmt.Sprintf("pid = %d sh", pid)] = true
	}
	if _, ok := tool.WaitStdout(t, wait, func(l string) bool { return wanted[l] }); !ok {
		t.Fatalf("no \"pid = N sh\" line for the load %v:\n%s", pids, strings.Join(tool.Stdout(), "\n"))
	}
	if status := tool.Stop(); status != 0 {
		t.Errorf("exit status %d after Ctrl-C, want 0", status)
	}
}

// TestLivePIDFilter: -p keeps only that process's waits.
func TestLivePIDFilter(t *testing.T) {
	pids := busy(t, 3, nil)
	tool := start(t, "--json", "-P", "-p", strconv.Itoa(pids[0]), "1")
	if _, ok := waitSummary(t, tool, hasPID(pids[0])); !ok {
		t.Fatalf("no histogram for PID %d:\n%s", pids[0], strings.Join(tool.Stdout(), "\n"))
	}
	tool.Stop()
	for _, l := range tool.Stdout() {
		for _, h := range parseSummary(t, l).Histograms {
			if h.PID == nil || *h.PID != pids[0] {
				t.Errorf("-p %d let through %+v", pids[0], h)
			}
		}
	}
}

// TestLivePerThread: -L keys by thread; a shell's only thread is its PID.
func TestLivePerThread(t *testing.T) {
	pids := busy(t, 3, nil)
	tool := start(t, "--json", "-L", "-p", strconv.Itoa(pids[1]), "1")
	s, ok := waitSummary(t, tool, func(s jsonSummary) bool { return len(s.Histograms) > 0 })
	if !ok {
		t.Fatal("no histogram with -L")
	}
	for _, h := range s.Histograms {
		if h.TID == nil || *h.TID != pids[1] || h.PID != nil || h.Comm != "sh" {
			t.Errorf("-L -p %d: histogram %+v", pids[1], h)
		}
	}
}

// nsInode reads the inode of /proc/PID/ns/pid ("pid:[4026531836]").
func nsInode(t *testing.T, pid int) uint32 {
	t.Helper()
	link, err := os.Readlink(fmt.Sprintf("/proc/%d/ns/pid", pid))
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimPrefix(link, "pid:["), "]"), 10, 32)
	if err != nil {
		t.Fatalf("ns link %q: %v", link, err)
	}
	return uint32(n)
}

// TestLivePidNamespaces: --pidnss keys by PID namespace; a load started
// in a new one shows up under that namespace's inode.
func TestLivePidNamespaces(t *testing.T) {
	pids := busy(t, 2, func(c *exec.Cmd) {
		c.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWPID}
	})
	busy(t, 2, nil)
	ns := nsInode(t, pids[0])
	if ns == nsInode(t, os.Getpid()) {
		t.Fatal("CLONE_NEWPID child shares the test's PID namespace")
	}
	tool := start(t, "--json", "--pidnss", "1")
	_, ok := waitSummary(t, tool, func(s jsonSummary) bool {
		for _, h := range s.Histograms {
			if h.PidNS != nil && *h.PidNS == ns && h.total() > 0 {
				return h.Comm == "sh"
			}
		}
		return false
	})
	if !ok {
		t.Fatalf("no histogram for PID namespace %d:\n%s", ns, strings.Join(tool.Stdout(), "\n"))
	}
}

// TestLiveCgroupFilter: -c counts the load inside the cgroup. A busy loop
// outside is never woken, and its preemptions happen while it runs, where
// the filter sees it: it must never appear.
func TestLiveCgroupFilter(t *testing.T) {
	livetest.Require(t)
	cg := livetest.Cgroup(t, "runqlat") // its cleanup, registered first, runs after the children are killed
	inside := busy(t, 3, nil)
	for _, pid := range inside {
		if err := os.WriteFile(filepath.Join(cg, "cgroup.procs"), []byte(strconv.Itoa(pid)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	outside := busy(t, 1, nil)[0]
	tool := start(t, "--json", "-P", "-c", cg, "1")
	_, ok := waitSummary(t, tool, func(s jsonSummary) bool {
		for _, pid := range inside {
			if hasPID(pid)(s) {
				return true
			}
		}
		return false
	})
	if !ok {
		t.Fatalf("no histogram for the load in %s %v:\n%s", cg, inside, strings.Join(tool.Stdout(), "\n"))
	}
	tool.Stop()
	for _, l := range tool.Stdout() {
		if hasPID(outside)(parseSummary(t, l)) {
			t.Errorf("-c let the busy loop outside the cgroup (PID %d) through: %s", outside, l)
		}
	}
}

// TestLiveEmptyCtrlC: with nothing to count (-p of an idle process), Ctrl-C
// still prints the summary line and exits 0.
func TestLiveEmptyCtrlC(t *testing.T) {
	idle := exec.Command("/bin/sleep", "60")
	if err := idle.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idle.Process.Kill(); idle.Wait() })
	tool := start(t, "--json", "-p", strconv.Itoa(idle.Process.Pid))
	if status := tool.Stop(); status != 0 {
		t.Fatalf("status %d", status)
	}
	out := tool.Stdout()
	if len(out) != 1 {
		t.Fatalf("want one summary at Ctrl-C, got %q", out)
	}
	if s := parseSummary(t, out[0]); s.Summary != 1 || len(s.Histograms) != 0 {
		t.Errorf("summary %+v, want number 1 and no histograms", s)
	}
}

// TestLiveBTFFile: --btf loads against a copy of the kernel's BTF.
func TestLiveBTFFile(t *testing.T) {
	livetest.Require(t)
	data, err := os.ReadFile("/sys/kernel/btf/vmlinux")
	if err != nil {
		t.Fatalf("this test copies the kernel BTF: %v", err)
	}
	path := filepath.Join(t.TempDir(), "vmlinux.btf")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	busy(t, 3, nil)
	tool := start(t, "--btf", path, "--json", "1", "1")
	if status, exited := tool.Exited(wait); !exited || status != 0 {
		t.Fatalf("exited %v status %d", exited, status)
	}
	if !strings.Contains(strings.Join(tool.Stderr(), "\n"), "kernel BTF from "+path) {
		t.Errorf("-v does not name the BTF file: %q", tool.Stderr())
	}
	if out := tool.Stdout(); len(out) != 1 || !bytes.Contains([]byte(out[0]), []byte(`"count":`)) {
		t.Errorf("want one non-empty summary, got %q", out)
	}
}
