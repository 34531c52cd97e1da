package stackcount

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/livetest"
)

// callsEnv makes the test binary a helper that calls
// stackcountUprobeTarget `calls` times for each line on stdin, then says
// "done".
const (
	callsEnv     = "PROBEBOX_STACKCOUNT_CALLS"
	targetSymbol = "stackcountUprobeTarget"
	calls        = 5
)

func TestMain(m *testing.M) {
	if os.Getenv(callsEnv) != "" {
		in := bufio.NewReader(os.Stdin)
		for {
			if _, err := in.ReadString('\n'); err != nil {
				os.Exit(0)
			}
			for i := 0; i < calls; i++ {
				stackcountUprobeTarget(i)
			}
			fmt.Println("done")
		}
	}
	livetest.Main(m)
}

var sink int

//go:noinline
func stackcountUprobeTarget(i int) { sink += i }

// entry is one stack of stackcount's text layout.
type entry struct {
	frames []string
	comm   string
	pid    int
	count  uint64
}

// parse reads "  frame" lines, an optional "    comm [pid]" (-P) and
// "    count".
func parse(t *testing.T, lines []string) []entry {
	t.Helper()
	var out []entry
	var cur entry
	for _, l := range lines {
		switch {
		case l == "" || strings.HasPrefix(l, "Tracing "):
		case strings.HasPrefix(l, "    ") && strings.HasSuffix(l, "]") && strings.Contains(l, " ["):
			i := strings.LastIndex(l, " [")
			cur.comm = strings.TrimSpace(l[:i])
			cur.pid, _ = strconv.Atoi(l[i+2 : len(l)-1])
		case strings.HasPrefix(l, "    "):
			n, err := strconv.ParseUint(strings.TrimSpace(l), 10, 64)
			if err != nil {
				t.Fatalf("bad count line %q", l)
			}
			cur.count = n
			out = append(out, cur)
			cur = entry{}
		case strings.HasPrefix(l, "  "):
			cur.frames = append(cur.frames, strings.TrimSpace(l))
		default:
			t.Fatalf("unexpected line %q", l)
		}
	}
	return out
}

func started(t *testing.T, tl *livetest.Tool) {
	t.Helper()
	if _, ok := tl.WaitStdout(t, 20*time.Second, func(l string) bool { return strings.HasPrefix(l, "Tracing ") }); !ok {
		t.Fatalf("no banner: %q", tl.Stderr())
	}
}

// TestLiveExec: the exec tracepoint, per process, while the test execs a
// helper three times: three processes, once each, in the kernel's exec path.
func TestLiveExec(t *testing.T) {
	livetest.Require(t)
	tl := livetest.Start(t, Applet, "-P", "t:sched:sched_process_exec")
	started(t, tl)
	pids := map[int]bool{}
	for i := 0; i < 3; i++ {
		cmd := livetest.Helper(t, "pbxscexec", "open", "/dev/null")
		if err := cmd.Run(); err != nil {
			t.Fatal(err)
		}
		pids[cmd.Process.Pid] = true
	}
	if status := tl.Stop(); status != 0 {
		t.Fatalf("status %d: %q", status, tl.Stderr())
	}
	seen := map[int]uint64{}
	for _, e := range parse(t, tl.Stdout()) {
		if e.comm != "pbxscexec" {
			continue
		}
		seen[e.pid] += e.count
		if !strings.Contains(strings.Join(e.frames, " "), "execve") {
			t.Errorf("exec stack without the execve path: %q", e.frames)
		}
	}
	for pid := range pids {
		if seen[pid] != 1 {
			t.Errorf("pid %d: counted %d execs, want 1 (all: %v)", pid, seen[pid], seen)
		}
	}
	if len(seen) != len(pids) {
		t.Errorf("execs of %v counted, want %v", seen, pids)
	}
}

// TestLiveUprobe: a wildcard uprobe on a function of the test binary, in
// one process: as many stacks counted as calls made, with the function as
// the innermost user frame.
func TestLiveUprobe(t *testing.T) {
	livetest.Require(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self)
	// No async preemption: on arm64 a signal that lands while the
	// kernel single-steps the probed instruction restarts it, and the
	// uprobe fires again (the guest counted 6 of 5 calls).
	cmd.Env = append(os.Environ(), callsEnv+"=1", "GODEBUG=asyncpreemptoff=1")
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); cmd.Wait() }()
	tl := livetest.Start(t, Applet, "-p", strconv.Itoa(cmd.Process.Pid), "u:"+self+":*"+targetSymbol)
	started(t, tl)
	io.WriteString(stdin, "go\n")
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "done\n" {
		t.Fatalf("helper: %q, %v", line, err)
	}
	if status := tl.Stop(); status != 0 {
		t.Fatalf("status %d: %q", status, tl.Stderr())
	}
	var total uint64
	for _, e := range parse(t, tl.Stdout()) {
		total += e.count
		if len(e.frames) == 0 || !strings.HasSuffix(e.frames[0], "."+targetSymbol) {
			t.Errorf("stack does not start in %s: %q", targetSymbol, e.frames)
		}
	}
	if total != calls {
		t.Errorf("counted %d calls, want %d: %q", total, calls, tl.Stdout())
	}
}

// TestLiveKernelFunction: where kprobes exist, a wildcard kernel
// function pattern counts the test's own getppid calls; where they are
// missing (this project's development host), it is one line and exit
// status 1.
func TestLiveKernelFunction(t *testing.T) {
	livetest.Require(t)
	if attach.Running.Supports(attach.Kprobe) != nil {
		tl := livetest.Start(t, Applet, "submit_bio")
		status, exited := tl.Exited(20 * time.Second)
		if !exited || status != 1 || len(tl.Stderr()) != 1 || !strings.Contains(tl.Stderr()[0], "kprobes") {
			t.Errorf("exited %v status %d, stderr %q", exited, status, tl.Stderr())
		}
		return
	}
	const n = 9
	tl := livetest.Start(t, Applet, "-p", strconv.Itoa(os.Getpid()), "-v", "*sys_getppid")
	started(t, tl)
	for i := 0; i < n; i++ {
		syscall.Getppid()
	}
	if status := tl.Stop(); status != 0 {
		t.Fatalf("status %d: %q", status, tl.Stderr())
	}
	var total uint64
	for _, e := range parse(t, tl.Stdout()) {
		total += e.count
		if len(e.frames) == 0 || !strings.Contains(e.frames[0], "sys_getppid") {
			t.Errorf("stack does not start in the probed function: %q", e.frames)
		}
	}
	if total != n {
		t.Errorf("counted %d getppid calls, want %d: %q", total, n, tl.Stdout())
	}
}

// TestLiveMalloc: c:malloc in one process, a C program the test builds
// (skipped where gcc is absent: the test kernels' busybox guests).
func TestLiveMalloc(t *testing.T) {
	livetest.Require(t)
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("gcc is not installed")
	}
	bin := t.TempDir() + "/mallocs"
	if out, err := exec.Command("gcc", "-O1", "-fno-omit-frame-pointer", "-o", bin, "testdata/mallocs.c").CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	cmd := exec.Command(bin)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); cmd.Wait() }()
	out := bufio.NewReader(stdout)
	if line, err := out.ReadString('\n'); err != nil || line != "ready\n" {
		t.Fatalf("helper: %q, %v", line, err)
	}
	tl := livetest.Start(t, Applet, "-p", strconv.Itoa(cmd.Process.Pid), "c:malloc")
	started(t, tl)
	io.WriteString(stdin, "\n")
	if line, err := out.ReadString('\n'); err != nil || line != "done\n" {
		t.Fatalf("helper: %q, %v", line, err)
	}
	if status := tl.Stop(); status != 0 {
		t.Fatalf("status %d: %q", status, tl.Stderr())
	}
	var total uint64
	for _, e := range parse(t, tl.Stdout()) {
		total += e.count
		if len(e.frames) == 0 || e.frames[0] != "malloc" || !strings.Contains(strings.Join(e.frames, " "), "main") {
			t.Errorf("stack %q: want malloc called from main's code", e.frames)
		}
	}
	if total != 7 {
		t.Errorf("counted %d mallocs, want 7: %q", total, tl.Stdout())
	}
}
