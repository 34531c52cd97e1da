// Package schedload makes scheduler load for the live tests of the CPU
// tools (cpudist, runqslower, runqlen): helper processes, copies of the
// test binary started through livetest.Helper, whose threads spin or sleep
// in known ways and report their thread IDs. It needs no other program, so
// it also runs in the busybox-only test kernels.
//
// A test package using it calls schedload.Main from TestMain.
package schedload

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/livetest"
)

// modeEnv makes a helper copy of the test binary act as a load.
const modeEnv = "PBX_SCHEDLOAD"

// Main runs the tests, or acts as the load the test asked for.
func Main(m *testing.M) {
	if mode := os.Getenv(modeEnv); mode != "" {
		os.Exit(helper(mode, os.Args[1:]))
	}
	livetest.Main(m)
}

// helper runs "spin N CPU" (N threads busy-looping, pinned to CPU, or
// unpinned when CPU < 0) or "sleep N MS" (N threads sleeping MS
// milliseconds in a loop). It prints the threads' IDs on one line, then
// runs until killed (at most a minute, so nothing outlives a test).
func helper(mode string, args []string) int {
	if len(args) != 2 {
		return 2
	}
	n, err1 := strconv.Atoi(args[0])
	arg, err2 := strconv.Atoi(args[1])
	if err1 != nil || err2 != nil || n < 1 {
		return 2
	}
	runtime.GOMAXPROCS(n + 1)
	tids := make(chan int)
	for range n {
		go func() {
			runtime.LockOSThread() // one OS thread per load thread, never shared
			switch mode {
			case "spin":
				// Nice 19: the load waits for its own threads, while the
				// tool under test (and, on a one-CPU test kernel, the
				// test itself) still gets the CPU it needs.
				unix.Setpriority(unix.PRIO_PROCESS, 0, 19)
				if arg >= 0 {
					var set unix.CPUSet
					set.Set(arg)
					if err := unix.SchedSetaffinity(0, &set); err != nil {
						fmt.Fprintln(os.Stderr, "sched_setaffinity:", err)
						os.Exit(1)
					}
				}
				tids <- unix.Gettid()
				for {
				}
			case "sleep":
				tids <- unix.Gettid()
				ts := syscall.NsecToTimespec(int64(arg) * int64(time.Millisecond))
				for {
					syscall.Nanosleep(&ts, nil) // the thread itself sleeps, not the Go scheduler
				}
			}
		}()
	}
	var ids []string
	for range n {
		ids = append(ids, strconv.Itoa(<-tids))
	}
	fmt.Println(strings.Join(ids, " "))
	time.Sleep(time.Minute)
	return 0
}

// Load is a running helper process.
type Load struct {
	PID  int
	TIDs []int // the load threads
	Comm string
}

// Spin starts n threads that busy-loop, pinned to cpu (cpu < 0: not
// pinned), in a process named name.
func Spin(t testing.TB, name string, n, cpu int) *Load {
	t.Helper()
	return start(t, "spin", name, n, cpu)
}

// Sleep starts n threads that sleep for d in a loop.
func Sleep(t testing.TB, name string, n int, d time.Duration) *Load {
	t.Helper()
	return start(t, "sleep", name, n, int(d/time.Millisecond))
}

func start(t testing.TB, mode, name string, n, arg int) *Load {
	t.Helper()
	cmd := livetest.Helper(t, name, strconv.Itoa(n), strconv.Itoa(arg))
	cmd.Env = append(cmd.Env, modeEnv+"="+mode)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("load %s did not start: %v", name, err)
	}
	l := &Load{PID: cmd.Process.Pid, Comm: name}
	for _, f := range strings.Fields(line) {
		tid, err := strconv.Atoi(f)
		if err != nil {
			t.Fatalf("load %s: bad thread ID line %q", name, line)
		}
		l.TIDs = append(l.TIDs, tid)
	}
	return l
}
