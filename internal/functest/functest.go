// Package functest gives the function tools' live tests (funccount,
// funclatency) functions to probe in a process of their own: the test
// binary, started again through livetest.Helper, calls Target or Sleep5ms
// a given number of times when told to. It needs no compiler or other
// program, so it runs in the busybox-only test kernels too.
package functest

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/probes"
)

// TargetSymbol and SleepSymbol are the functions' ELF symbol names.
const (
	TargetSymbol = "github.com/probebox/probebox/internal/functest.Target"
	SleepSymbol  = "github.com/probebox/probebox/internal/functest.Sleep5ms"
)

const modeEnv = "PBX_FUNCTEST"

// Target does almost nothing; it is never inlined, so every call is a
// call of the symbol.
//
//go:noinline
func Target(i int) int { return i*2 + 1 }

// Sleep5ms sleeps 5 ms in one raw nanosleep: the goroutine keeps its
// thread and stack meanwhile (a uretprobe's return address on a Go stack
// must not be seen by the garbage collector or stack growth; the helper
// also runs with GOGC=off).
//
//go:noinline
func Sleep5ms() {
	ts := syscall.Timespec{Nsec: 5_000_000}
	syscall.RawSyscall(syscall.SYS_NANOSLEEP, uintptr(unsafePointer(&ts)), 0, 0)
}

// Main runs the tests, or acts as the helper.
func Main(m *testing.M) {
	if mode := os.Getenv(modeEnv); mode != "" {
		os.Exit(Run(mode, os.Args[1:]))
	}
	livetest.Main(m)
}

var sink int

// Run is the helper: it waits for a line on stdin, makes its calls,
// prints "done" and waits for stdin to close.
func Run(mode string, args []string) int {
	if len(args) != 1 {
		return 2
	}
	n, err := strconv.Atoi(args[0])
	if err != nil {
		return 2
	}
	// A uretprobe's pending return belongs to the thread that entered the
	// function: a goroutine preempted inside it must not resume on
	// another thread (the kernel kills it with SIGILL there).
	runtime.LockOSThread()
	in := bufio.NewReader(os.Stdin)
	fmt.Println("ready")
	if _, err := in.ReadString('\n'); err != nil {
		return 1
	}
	// "tick": the interval between two calls as the helper can bound it,
	// "LO:HI" in ns: each call entered Target after the clock read before
	// it and before the one after it returned (a uprobe's trap between
	// them is slow under emulation).
	var ticks []string
	var lastBefore, lastAfter time.Time
	for i := range n {
		switch mode {
		case "call":
			sink += Target(i)
		case "sleep":
			// Each call took at least the sleep and at most what the
			// clock reads around it say.
			before := time.Now()
			Sleep5ms()
			ticks = append(ticks, fmt.Sprintf("%d:%d", 5*time.Millisecond, time.Since(before).Nanoseconds()))
		case "tick": // Target every 10 ms
			before := time.Now()
			sink += Target(i)
			after := time.Now()
			if !lastBefore.IsZero() {
				ticks = append(ticks, fmt.Sprintf("%d:%d", before.Sub(lastAfter).Nanoseconds(), after.Sub(lastBefore).Nanoseconds()))
			}
			lastBefore, lastAfter = before, after
			time.Sleep(10 * time.Millisecond)
		}
	}
	if ticks != nil {
		fmt.Println("ticks", strings.Join(ticks, " "))
	}
	fmt.Println("done")
	io.Copy(io.Discard, in)
	return 0
}

// Proc is a helper process waiting for Go.
type Proc struct {
	PID  int
	Path string // its executable: what the pattern names
	// Ticks: after Go, in mode "tick" the intervals between its calls
	// of Target as the helper bounded them, in mode "sleep" each call's
	// time in Sleep5ms.
	Ticks []Tick
	in    io.WriteCloser
	out   *bufio.Reader
}

// Tick bounds one interval between two calls: the time between their
// entries into Target lies in [Lo, Hi].
type Tick struct{ Lo, Hi time.Duration }

// Start starts a helper named name that will make n calls of Target
// (mode "call"), of Target 10 ms apart ("tick") or of Sleep5ms ("sleep").
func Start(t testing.TB, name, mode string, n int) *Proc {
	t.Helper()
	var cmd *exec.Cmd
	if selfHasSymbols() {
		cmd = livetest.Helper(t, name, strconv.Itoa(n))
	} else {
		cmd = exec.Command(built(t, name), strconv.Itoa(n))
		cmd.Env = os.Environ()
	}
	cmd.Env = append(cmd.Env, modeEnv+"="+mode, "GOGC=off", "GODEBUG=asyncpreemptoff=1")
	return run(t, cmd)
}

// Again starts another helper running the same executable as p.
func (p *Proc) Again(t testing.TB, mode string, n int) *Proc {
	t.Helper()
	cmd := exec.Command(p.Path, strconv.Itoa(n))
	cmd.Env = append(os.Environ(), modeEnv+"="+mode, "GOGC=off", "GODEBUG=asyncpreemptoff=1")
	return run(t, cmd)
}

func run(t testing.TB, cmd *exec.Cmd) *Proc {
	t.Helper()
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close(); cmd.Process.Kill(); cmd.Wait() })
	p := &Proc{PID: cmd.Process.Pid, Path: cmd.Path, in: in, out: bufio.NewReader(out)}
	if l, err := p.out.ReadString('\n'); err != nil || l != "ready\n" {
		t.Fatalf("helper %s: %q %v", cmd.Path, l, err)
	}
	return p
}

var (
	symOnce sync.Once
	symSelf bool
	buildMu sync.Mutex
	builtAt string
)

// selfHasSymbols: a test binary built with go test -c (the kernel matrix)
// keeps its symbol table and can be its own helper; plain go test strips
// it.
func selfHasSymbols() bool {
	symOnce.Do(func() {
		self, err := os.Executable()
		if err != nil {
			return
		}
		syms, _ := probes.FunctionSymbols(self)
		symSelf = slices.Contains(syms, TargetSymbol)
	})
	return symSelf
}

// built builds cmd target once (go is needed then) and returns a copy
// named name, so that the process's comm is name.
func built(t testing.TB, name string) string {
	t.Helper()
	buildMu.Lock()
	defer buildMu.Unlock()
	if builtAt == "" {
		livetest.NeedGo(t)
		dir, err := os.MkdirTemp("", "pbx-functest")
		if err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("go", "build", "-o", filepath.Join(dir, "target"), "github.com/probebox/probebox/internal/functest/target").CombinedOutput()
		if err != nil {
			t.Fatalf("building the function tools' test target: %v\n%s", err, out)
		}
		builtAt = dir
	}
	dst := filepath.Join(builtAt, name)
	if _, err := os.Stat(dst); err != nil {
		data, err := os.ReadFile(filepath.Join(builtAt, "target"))
		if err != nil || os.WriteFile(dst, data, 0o755) != nil {
			t.Fatalf("copying the test target: %v", err)
		}
	}
	return dst
}

// Go makes the calls and waits until they are done.
func (p *Proc) Go(t testing.TB) {
	t.Helper()
	if _, err := io.WriteString(p.in, "go\n"); err != nil {
		t.Fatal(err)
	}
	done := make(chan string, 1)
	go func() {
		l, _ := p.out.ReadString('\n')
		if rest, ok := strings.CutPrefix(l, "ticks "); ok {
			p.Ticks = nil
			for _, f := range strings.Fields(rest) {
				var lo, hi int64
				fmt.Sscanf(f, "%d:%d", &lo, &hi)
				p.Ticks = append(p.Ticks, Tick{time.Duration(lo), time.Duration(hi)})
			}
			l, _ = p.out.ReadString('\n')
		}
		done <- l
	}()
	select {
	case l := <-done:
		if l != "done\n" {
			t.Fatalf("helper %d: %q", p.PID, l)
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("helper %d did not finish its calls", p.PID)
	}
}

// Fits reports whether a log2 histogram's counts (by bucket low, in
// units of unit) can be the helper's bounded times: each counted in a
// bucket between those of its lower and upper bound (a time measured on
// a bucket's edge may land on either side). Buckets are filled from the
// lowest, each with the times whose upper bound's bucket comes soonest:
// that finds a way to place them when there is one.
func Fits(counts map[uint64]uint64, ticks []Tick, unit time.Duration) bool {
	type span struct{ lo, hi uint64 }
	spans := make([]span, len(ticks))
	for i, tk := range ticks {
		spans[i] = span{bucketLow(uint64(tk.Lo / unit)), bucketLow(uint64(tk.Hi / unit))}
	}
	lows := slices.Sorted(maps.Keys(counts))
	used := make([]bool, len(spans))
	for _, b := range lows {
		for n := counts[b]; n > 0; n-- {
			best := -1
			for i, sp := range spans {
				if !used[i] && sp.lo <= b && b <= sp.hi && (best < 0 || sp.hi < spans[best].hi) {
					best = i
				}
			}
			if best < 0 {
				return false
			}
			used[best] = true
		}
	}
	return true
}

// bucketLow is the low end of v's log2 bucket (0-1, 2-3, 4-7, ...).
func bucketLow(v uint64) uint64 {
	if v < 2 {
		return 0
	}
	low := uint64(1)
	for low*2 <= v {
		low *= 2
	}
	return low
}
