package funccount

import (
	"encoding/json"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cilium/ebpf/features"

	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/internal/funcs"
	"github.com/probebox/probebox/internal/functest"
)

const wait = 30 * time.Second

func TestMain(m *testing.M) { functest.Main(m) }

type jsonSummary struct {
	Summary int    `json:"summary"`
	Time    string `json:"time"`
	Counts  []struct {
		Func  string `json:"func"`
		Count uint64 `json:"count"`
	} `json:"counts"`
}

func start(t *testing.T, args ...string) *livetest.Tool {
	t.Helper()
	livetest.Require(t)
	tool := livetest.Start(t, Applet, append([]string{"-v", "--json"}, args...)...)
	if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") || !verboseLine(l) }); !ok || !strings.Contains(strings.Join(tool.Stderr(), "\n"), "tracing;") {
		t.Fatalf("funccount did not start; stderr:\n%s", strings.Join(tool.Stderr(), "\n"))
	}
	return tool
}

// counts stops the tool and returns its one summary.
func counts(t *testing.T, tool *livetest.Tool) map[string]uint64 {
	t.Helper()
	if status := tool.Stop(); status != 0 {
		t.Fatalf("status %d; stderr %q", status, tool.Stderr())
	}
	out := tool.Stdout()
	if len(out) != 1 {
		t.Fatalf("want one summary, got %q", out)
	}
	var s jsonSummary
	if err := json.Unmarshal([]byte(out[0]), &s); err != nil {
		t.Fatalf("%q: %v", out[0], err)
	}
	m := map[string]uint64{}
	for _, c := range s.Counts {
		m[c.Func] = c.Count
	}
	return m
}

// TestLiveUserFunction: a helper calls functest.Target exactly 1234
// times and a second process of the same file 77 times: with -p, the
// first's count is exactly 1234; without, the two add up. Both tools run
// at once.
func TestLiveUserFunction(t *testing.T) {
	a := functest.Start(t, "fcount-a", "call", 1234)
	b := a.Again(t, "call", 77)
	pattern := a.Path + ":*functest.Targ*" // a glob, matched in the ELF symbols
	onlyA := start(t, "-p", strconv.Itoa(a.PID), pattern)
	both := start(t, "u:"+a.Path+":"+functest.TargetSymbol)
	a.Go(t)
	b.Go(t)
	got, all := counts(t, onlyA), counts(t, both)
	if got[functest.TargetSymbol] != 1234 || len(got) != 1 {
		t.Errorf("-p %d: %v, want exactly 1234 calls of %s", a.PID, got, functest.TargetSymbol)
	}
	if all[functest.TargetSymbol] != 1234+77 {
		t.Errorf("without -p: %v, want 1311", all)
	}
}

// TestLiveTracepoints: t: patterns with wildcards, -p on the test's own
// process: getppid called exactly 321 times; forks counted.
func TestLiveTracepoints(t *testing.T) {
	self := strconv.Itoa(os.Getpid())
	sys := start(t, "-p", self, "t:syscalls:sys_enter_getp*id")
	fork := start(t, "-p", self, "t:sched:sched_process_f*")
	for range 321 {
		syscall.Getppid()
	}
	for range 3 {
		if err := exec.Command("/bin/true").Run(); err != nil {
			if err := exec.Command(os.Args[0], "-test.run=^$").Run(); err != nil {
				t.Fatal(err)
			}
		}
	}
	s, f := counts(t, sys), counts(t, fork)
	if s["syscalls:sys_enter_getppid"] != 321 {
		t.Errorf("getppid: %v, want exactly 321", s)
	}
	if n := f["sched:sched_process_fork"]; n < 3 {
		t.Errorf("forks: %v, want at least 3", f)
	}
}

// TestLiveKernelFunctions: where kprobes exist (the 6.1 and 6.12 guests),
// the test's reads of /dev/zero are counted under vfs_read, through one
// kprobe_multi link where the kernel has it (6.12) and a kprobe each
// where not (6.1); where kprobes do not exist (the 6.18 host), one line
// names what is missing and the status is 1.
func TestLiveKernelFunctions(t *testing.T) {
	livetest.Require(t)
	if err := funcs.KernelProbes(attach.Running); err != nil {
		tool := livetest.Start(t, Applet, "vfs_read*")
		status, _ := tool.Exited(wait)
		errs := tool.Stderr()
		if status != 1 || len(errs) != 1 || !strings.Contains(errs[0], "kernel functions need kprobes or fentry") {
			t.Errorf("status %d, stderr %q: want exit 1 and one line", status, errs)
		}
		return
	}
	tool := start(t, "-p", strconv.Itoa(os.Getpid()), "vfs_read*")
	f, err := os.Open("/dev/zero")
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 16)
	for range 500 {
		f.Read(buf)
	}
	f.Close()
	if n := counts(t, tool)["vfs_read"]; n < 500 || n > 600 {
		t.Errorf("vfs_read counted %d, want 500 (and a few more)", n)
	}
	how := "kprobe probes"
	if features.HaveBPFLinkKprobeMulti() == nil {
		how = "one kprobe_multi link on"
	}
	if stderr := strings.Join(tool.Stderr(), "\n"); !strings.Contains(stderr, how) {
		t.Errorf("-v does not say %q:\n%s", how, stderr)
	}
}

// verboseLine: one of -v's lines before tracing starts (anything else is
// an error: stop waiting).
func verboseLine(l string) bool {
	for _, s := range []string{"kernel BTF from", "events through", ", one BPF program"} {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}
