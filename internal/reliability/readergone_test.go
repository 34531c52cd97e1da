package reliability

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/livetest"
)

// `APPLET | head -1` on a quiet machine: the reader goes away after the
// first line (or at once, for a tool that prints nothing until an event
// comes) and no event follows. The applet must notice by itself, exit 0
// within 2 seconds, quietly, with nothing of its BPF left in the kernel.
// Applets run two at a time (go test's -parallel defaults to the CPUs):
// most of each run is waiting for the exit.
func TestReaderGone(t *testing.T) {
	livetest.Require(t)
	for _, name := range applets {
		for _, extra := range [][]string{nil, {"--json"}} {
			if extra != nil && !hasFlag(name, "json") {
				continue
			}
			args := append(append([]string{}, extra...), observeArgs[name]...) // flags before a pattern
			t.Run(strings.TrimSpace(name+" "+strings.Join(extra, " ")), func(t *testing.T) {
				t.Parallel()
				if refusedHere(t, name) {
					return
				}
				readerGone(t, name, args)
			})
		}
	}
}

func readerGone(t *testing.T, name string, args []string) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	line := make(chan struct{})
	go func() {
		if _, err := bufio.NewReader(r).ReadString('\n'); err == nil {
			close(line)
		}
	}()
	run := startReady(t, name, args, w, line)
	r.Close() // head -1 exits
	closedAt := time.Now()
	limit := livetest.Scaled(2 * time.Second) // emulated guests: slower
	select {
	case <-run.done:
		t.Logf("exited %v after the reader closed", time.Since(closedAt).Round(time.Millisecond))
	case <-time.After(limit):
		// Detaching can take the kernel longer than the limit: each
		// fentry trampoline waits out RCU-tasks grace periods, seconds
		// under emulation (the 6.1 guest). Ctrl-C pays the same, so the
		// tool may take as long as Ctrl-C does, and the limit more.
		select {
		case <-run.done:
		case <-time.After(60 * time.Second):
			t.Fatalf("still running 60s after its reader went away, with no event to write")
		}
		took := time.Since(closedAt)
		t.Logf("exited %v after the reader closed", took.Round(time.Millisecond))
		interrupted := ctrlCExit(t, name, args)
		if took > interrupted+limit {
			t.Fatalf("still running %v after its reader went away, with no event to write (Ctrl-C ends it in %v)", took.Round(time.Millisecond), interrupted.Round(time.Millisecond))
		}
		t.Logf("Ctrl-C ends it in %v", interrupted.Round(time.Millisecond))
	}
	if code := run.cmd.ProcessState.ExitCode(); code != 0 || run.stderr.String() != "" {
		t.Errorf("exit status %d (%v), stderr %q; want 0 and nothing", code, run.cmd.ProcessState, run.stderr.String())
	}
	if run.ids != nil {
		run.ids.waitGone(t)
	}
}

// ctrlCExit is how long the applet takes to exit on SIGINT once ready,
// its output read all the while.
func ctrlCExit(t *testing.T, name string, args []string) time.Duration {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	go io.Copy(io.Discard, r)
	run := startReady(t, name, args, w, nil)
	at := time.Now()
	run.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-run.done:
	case <-time.After(60 * time.Second):
		t.Fatalf("still running 60s after Ctrl-C")
	}
	return time.Since(at)
}

// readyRun is an applet started by startReady.
type readyRun struct {
	cmd    *exec.Cmd
	done   chan struct{} // closed once it exited
	stderr *lockedBuilder
	ids    *objects // its BPF objects, when it held some
}

// startReady starts the applet writing to w (closed here) and returns once
// it is ready: line (if not nil) is closed, or BPF is attached (a tool
// silent while idle, such as a --json stream), or it exited by itself.
func startReady(t *testing.T, name string, args []string, w *os.File, line chan struct{}) readyRun {
	cmd := exec.Command(binary, append([]string{name}, args...)...)
	run := readyRun{cmd: cmd, done: make(chan struct{}), stderr: &lockedBuilder{}}
	cmd.Stdout, cmd.Stderr = w, run.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	go func() { cmd.Wait(); close(run.done) }()
	t.Cleanup(func() { cmd.Process.Kill(); <-run.done })
	// A tool attaching many hooks holds its first program long before its
	// last link (fentry attaches take a second each under emulation):
	// without a line, ready once what it holds stayed the same a while.
	settle := livetest.Scaled(300 * time.Millisecond)
	var held string
	var heldSince time.Time
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if closed(run.done) {
			return run
		}
		if line != nil && closed(line) {
			if o, err := readBPFObjects(cmd.Process.Pid); err == nil && len(o.progs) > 0 {
				run.ids = &o
			}
			return run
		}
		// A link alone may be a hook probe's, detached in the
		// background: ready once a program is held too.
		if o, err := readBPFObjects(cmd.Process.Pid); err == nil && holdsBPF(cmd.Process.Pid) && len(o.progs) > 0 {
			if now := fmt.Sprint(o); now != held {
				held, heldSince = now, time.Now()
			} else if time.Since(heldSince) >= settle {
				run.ids = &o
				return run
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("neither a line nor BPF attached in 60s; stderr %q", run.stderr.String())
		}
	}
}

// lockedBuilder is a strings.Builder written by exec's copying goroutine
// and read by the test.
type lockedBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuilder) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuilder) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// hasFlag reports whether the registered applet takes --key.
func hasFlag(name, key string) bool {
	a, ok := applet.Lookup(name)
	if !ok {
		return false
	}
	for _, f := range a.Flags {
		if f.Key() == key {
			return true
		}
	}
	return false
}
