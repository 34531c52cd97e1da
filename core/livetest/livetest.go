// Package livetest runs an applet in-process against the real kernel for
// the live tests: tests that load real BPF programs and assert on events
// the test itself causes.
//
// Live tests skip when the machine cannot load BPF (not root), unless
// PROBEBOX_LIVE=1 (set by `make test` and CI), in which case they fail:
// a CI run that cannot trace must not pass quietly.
package livetest

import (
	"bufio"
	"context"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/privs"
)

// Require skips or fails t when live BPF tests cannot run here.
func Require(t testing.TB) {
	t.Helper()
	if err := privs.Check(); err != nil || os.Geteuid() != 0 {
		Unavailable(t, "live BPF tests cannot run here: %v (run as root)", err)
	}
}

// Unavailable ends a test that cannot run here: a failure under
// PROBEBOX_LIVE=1 (CI, make test), a skip otherwise.
func Unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("PROBEBOX_LIVE") == "1" {
		t.Fatalf("PROBEBOX_LIVE=1 but "+format, args...)
	}
	t.Skipf(format+" (set PROBEBOX_LIVE=1 to make this a failure)", args...)
}

// Tool is an applet running in the background.
type Tool struct {
	cancel context.CancelFunc
	done   chan int
	status int

	gate   sync.Mutex // held while stdout reading is paused
	mu     sync.Mutex
	stdout []string
	stderr []string
	cond   *sync.Cond
}

// Start runs a with args; its output is collected line by line.
func Start(t testing.TB, a *applet.Applet, args ...string) *Tool {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	tl := &Tool{cancel: cancel, done: make(chan int)}
	tl.cond = sync.NewCond(&tl.mu)
	outR, outW := io.Pipe()
	errR, errW := io.Pipe()
	var collectors sync.WaitGroup
	collectors.Add(2)
	go func() { tl.collect(outR, &tl.stdout, &tl.gate); collectors.Done() }()
	go func() { tl.collect(errR, &tl.stderr, nil); collectors.Done() }()
	go func() {
		status := a.Exec(ctx, args, applet.Streams{Stdin: strings.NewReader(""), Stdout: outW, Stderr: errW})
		outW.Close()
		errW.Close()
		collectors.Wait() // every line is in before the status is
		tl.done <- status
	}()
	t.Cleanup(func() { tl.Stop() })
	return tl
}

func (tl *Tool) collect(r io.Reader, into *[]string, gate *sync.Mutex) {
	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 64*1024), 1<<20)
	for {
		if gate != nil {
			gate.Lock()
			gate.Unlock()
		}
		if !s.Scan() {
			break
		}
		tl.mu.Lock()
		*into = append(*into, s.Text())
		tl.cond.Broadcast()
		tl.mu.Unlock()
	}
	io.Copy(io.Discard, r)
}

// WaitStdout waits until a stdout line satisfies match and returns it.
func (tl *Tool) WaitStdout(t testing.TB, timeout time.Duration, match func(string) bool) (string, bool) {
	return tl.wait(t, &tl.stdout, timeout, match)
}

// WaitStderr is WaitStdout for stderr.
func (tl *Tool) WaitStderr(t testing.TB, timeout time.Duration, match func(string) bool) (string, bool) {
	return tl.wait(t, &tl.stderr, timeout, match)
}

func (tl *Tool) wait(t testing.TB, lines *[]string, timeout time.Duration, match func(string) bool) (string, bool) {
	t.Helper()
	timeout = Scaled(timeout)
	deadline := time.Now().Add(timeout)
	timer := time.AfterFunc(timeout, func() {
		tl.mu.Lock()
		tl.cond.Broadcast()
		tl.mu.Unlock()
	})
	defer timer.Stop()
	tl.mu.Lock()
	defer tl.mu.Unlock()
	for seen := 0; ; {
		for ; seen < len(*lines); seen++ {
			if match((*lines)[seen]) {
				return (*lines)[seen], true
			}
		}
		if time.Now().After(deadline) {
			return "", false
		}
		tl.cond.Wait()
	}
}

// PauseStdout stops reading the tool's stdout, so its writes block as on a
// stuck terminal: the way to make a tool fall behind the kernel.
func (tl *Tool) PauseStdout() { tl.gate.Lock() }

// ResumeStdout undoes PauseStdout.
func (tl *Tool) ResumeStdout() { tl.gate.Unlock() }

// Stdout returns the stdout lines so far.
func (tl *Tool) Stdout() []string {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	return append([]string(nil), tl.stdout...)
}

// Stderr returns the stderr lines so far.
func (tl *Tool) Stderr() []string {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	return append([]string(nil), tl.stderr...)
}

// Stop cancels the tool (as SIGINT would) and returns its exit status.
func (tl *Tool) Stop() int {
	if tl.cancel != nil {
		tl.cancel()
		tl.cancel = nil
		tl.status = <-tl.done
	}
	return tl.status
}

// Exited reports whether the tool ended by itself, and its status.
func (tl *Tool) Exited(within time.Duration) (int, bool) {
	select {
	case s := <-tl.done:
		tl.cancel()
		tl.cancel = nil
		tl.status = s
		return s, true
	case <-time.After(Scaled(within)):
		return 0, false
	}
}
