package reliability

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"sync"
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
	cmd := exec.Command(binary, append([]string{name}, args...)...)
	var stderr lockedBuilder
	cmd.Stdout, cmd.Stderr = w, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() { cmd.Process.Kill(); <-done })
	line := make(chan struct{})
	go func() {
		if _, err := bufio.NewReader(r).ReadString('\n'); err == nil {
			close(line)
		}
	}()
	// Ready: the first line is out, or BPF is attached (a tool silent
	// while idle, such as a --json stream), or it exited by itself.
	var ids *objects
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if closed(done) {
			break
		}
		// A link alone may be a hook probe's, detached in the
		// background: ready once a program is held too.
		if o, err := readBPFObjects(cmd.Process.Pid); err == nil && holdsBPF(cmd.Process.Pid) && len(o.progs) > 0 {
			ids = &o
			break
		}
		if closed(line) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("neither a line nor BPF attached in 60s; stderr %q", stderr.String())
		}
	}
	r.Close() // head -1 exits
	closedAt := time.Now()
	select {
	case <-done:
	case <-time.After(livetest.Scaled(2 * time.Second)): // emulated guests: slower
		t.Fatalf("still running %v after its reader went away, with no event to write", livetest.Scaled(2*time.Second))
	}
	t.Logf("exited %v after the reader closed", time.Since(closedAt).Round(time.Millisecond))
	if code := cmd.ProcessState.ExitCode(); code != 0 || stderr.String() != "" {
		t.Errorf("exit status %d (%v), stderr %q; want 0 and nothing", code, cmd.ProcessState, stderr.String())
	}
	if ids != nil {
		ids.waitGone(t)
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
