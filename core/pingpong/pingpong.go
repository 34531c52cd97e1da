// Package pingpong is a helper process for the wakeup tools' live tests
// (wakeuptime, offwaketime): two threads named Ping and Pong pass a byte
// back and forth through two pipes with blocking reads, so each one
// blocks in pipe_read until the other's pipe_write wakes it.
package pingpong

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Thread names, rounds, the pause before each write, and the functions
// the user stacks go through.
const (
	Ping        = "pbxping"
	Pong        = "pbxpong"
	Rounds      = 20
	Pause       = 5 * time.Millisecond
	WriteSymbol = "pingpongWrite"
	ReadSymbol  = "pingpongRead"
	env         = "PROBEBOX_PINGPONG"
)

// MaybeRun turns the test binary into the helper when Start started it;
// call it first in TestMain.
func MaybeRun() {
	if os.Getenv(env) == "" {
		return
	}
	in := bufio.NewReader(os.Stdin)
	for {
		if _, err := in.ReadString('\n'); err != nil {
			os.Exit(0)
		}
		play()
		fmt.Println("done")
	}
}

//go:noinline
func pingpongWrite(fd int) {
	time.Sleep(Pause)
	unix.Write(fd, []byte{1})
}

//go:noinline
func pingpongRead(fd int) {
	var b [1]byte
	for {
		if _, err := unix.Read(fd, b[:]); err != unix.EINTR {
			return
		}
	}
}

func thread(name string, first bool, in, out int, done chan<- struct{}) {
	runtime.LockOSThread() // the thread's name stays with this goroutine
	unix.Prctl(unix.PR_SET_NAME, uintptr(unsafe.Pointer(unsafePtr(name))), 0, 0, 0)
	for i := 0; i < Rounds; i++ {
		if first {
			pingpongWrite(out)
			pingpongRead(in)
		} else {
			pingpongRead(in)
			pingpongWrite(out)
		}
	}
	done <- struct{}{}
}

func play() {
	var a, b [2]int
	unix.Pipe(a[:]) // blocking pipes: reads block in the kernel, not the netpoller
	unix.Pipe(b[:])
	done := make(chan struct{})
	go thread(Ping, true, b[0], a[1], done)
	go thread(Pong, false, a[0], b[1], done)
	<-done
	<-done
	for _, fd := range append(a[:], b[:]...) {
		unix.Close(fd)
	}
}

// Helper is a running helper process.
type Helper struct {
	PID   int
	stdin io.WriteCloser
	out   *bufio.Reader
}

// Start runs the test binary as the helper.
func Start(t *testing.T) *Helper {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), env+"=1")
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); cmd.Wait() })
	return &Helper{PID: cmd.Process.Pid, stdin: stdin, out: bufio.NewReader(stdout)}
}

// Play has the threads play Rounds rounds and waits for them.
func (h *Helper) Play(t *testing.T) {
	t.Helper()
	io.WriteString(h.stdin, "go\n")
	if line, err := h.out.ReadString('\n'); err != nil || line != "done\n" {
		t.Fatalf("pingpong helper: %q, %v", line, err)
	}
}

func unsafePtr(s string) *byte {
	p, _ := unix.BytePtrFromString(s)
	return p
}
