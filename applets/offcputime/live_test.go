package offcputime

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/livetest"
)

// sleepEnv makes the test binary a helper that, for each line on stdin,
// sleeps sleeps×sleepFor in nanosleep inside offcpuSleepTarget, then
// says "done" and waits for the next line (it stays alive, so its stacks
// can be named).
const (
	sleepEnv    = "PROBEBOX_OFFCPU_SLEEP"
	sleepSymbol = "offcpuSleepTarget"
	sleeps      = 4
	sleepFor    = 250 * time.Millisecond
)

func TestMain(m *testing.M) {
	if os.Getenv(sleepEnv) != "" {
		runtime.LockOSThread()
		in := bufio.NewReader(os.Stdin)
		for {
			if _, err := in.ReadString('\n'); err != nil {
				os.Exit(0)
			}
			offcpuSleepTarget(sleeps, sleepFor)
			fmt.Println("done")
		}
	}
	livetest.Main(m)
}

//go:noinline
func offcpuSleepTarget(n int, d time.Duration) {
	for i := 0; i < n; i++ {
		ts := unix.NsecToTimespec(d.Nanoseconds())
		for unix.Nanosleep(&ts, &ts) == unix.EINTR {
		}
	}
}

type sleeper struct {
	pid   int
	stdin io.WriteCloser
	out   *bufio.Reader
}

func startSleeper(t *testing.T) *sleeper {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), sleepEnv+"=1")
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); cmd.Wait() })
	return &sleeper{pid: cmd.Process.Pid, stdin: stdin, out: bufio.NewReader(stdout)}
}

// sleep has the helper sleep once and returns how long that took.
func (s *sleeper) sleep(t *testing.T) time.Duration {
	t.Helper()
	began := time.Now()
	io.WriteString(s.stdin, "go\n")
	if line, err := s.out.ReadString('\n'); err != nil || line != "done\n" {
		t.Fatalf("helper: %q, %v", line, err)
	}
	return time.Since(began)
}

// block is one stack of bcc's text layout.
type block struct {
	frames []string
	comm   string
	pid    int
	us     uint64
}

func parseBlocks(t *testing.T, lines []string) []block {
	t.Helper()
	var out []block
	var cur block
	for _, l := range lines {
		switch {
		case l == "" || strings.HasPrefix(l, "Tracing off-CPU"):
			continue
		case strings.HasPrefix(l, "    -                "):
			rest := strings.TrimPrefix(l, "    -                ")
			i := strings.LastIndex(rest, " (")
			pid, err := strconv.Atoi(strings.TrimSuffix(rest[i+2:], ")"))
			if i < 0 || err != nil {
				t.Fatalf("bad process line %q", l)
			}
			cur.comm, cur.pid = rest[:i], pid
		case strings.HasPrefix(l, "        "):
			n, err := strconv.ParseUint(strings.TrimSpace(l), 10, 64)
			if err != nil || cur.pid == 0 {
				t.Fatalf("bad value line %q", l)
			}
			cur.us = n
			out = append(out, cur)
			cur = block{}
		case strings.HasPrefix(l, "    "):
			cur.frames = append(cur.frames, strings.TrimSpace(l))
		default:
			t.Fatalf("unexpected line %q", l)
		}
	}
	return out
}

func hasFrame(frames []string, suffix string) bool {
	for _, f := range frames {
		if strings.HasSuffix(f, suffix) {
			return true
		}
	}
	return false
}

// TestLiveSleep: a thread sleeping in nanosleep, in a function the test
// knows, shows that stack (kernel frames down to the nanosleep syscall,
// user frames up to the function) with the time it slept.
func TestLiveSleep(t *testing.T) {
	livetest.Require(t)
	s := startSleeper(t)
	tl := livetest.Start(t, Applet, "-p", strconv.Itoa(s.pid))
	if _, ok := tl.WaitStdout(t, 20*time.Second, func(l string) bool { return strings.HasPrefix(l, "Tracing off-CPU time (us) of PID") }); !ok {
		t.Fatalf("no banner: %q", tl.Stderr())
	}
	slept := s.sleep(t)
	time.Sleep(100 * time.Millisecond) // the last switch back in is counted
	if status := tl.Stop(); status != 0 {
		t.Fatalf("status %d: %q", status, tl.Stderr())
	}
	var total uint64
	var found []string
	for _, b := range parseBlocks(t, tl.Stdout()) {
		if b.pid != s.pid {
			t.Errorf("-p %d: a stack of PID %d", s.pid, b.pid)
		}
		// The function's other stacks (a preempted exit from the
		// syscall, waiting for the runtime) are not the sleep.
		if hasFrame(b.frames, "."+sleepSymbol) && hasFrame(b.frames, "do_nanosleep") && hasFrame(b.frames, "schedule") {
			total += b.us
			found = b.frames
		}
	}
	// nanosleep never returns early, so each sleep is off CPU at least
	// its length (less the moment between arming the timer and switching
	// out); and no more than the helper's whole call took, which on a
	// loaded machine includes waiting for a CPU after each wake-up.
	want := uint64(sleeps * sleepFor / time.Microsecond)
	if total < want*98/100 || total > uint64(slept/time.Microsecond) {
		t.Errorf("%d us off CPU in %s, want from %d to the %v the helper took (stack %q); all output:\n%s", total, sleepSymbol, want*98/100, slept, found, strings.Join(tl.Stdout(), "\n"))
	}
}
