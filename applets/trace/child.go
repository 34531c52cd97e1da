package trace

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// child is the command of -c. It starts stopped at its exec (ptrace
// stops a tracee there), so that its pid, the cpid builtin, is known
// when the program is compiled, and it runs its first instruction only
// once the probes are attached, as under bpftrace.
type child struct {
	cmd     *exec.Cmd
	release chan struct{}
	exited  chan struct{} // closed when the command has exited
}

// shellChars mark a command line that needs a shell; any other is split
// on white space and run directly, as bpftrace does, so cpid is the
// command's own pid.
const shellChars = "|&;<>()$`\\\"'*?[]#~=%{}\n"

func commandArgs(cmdline string) []string {
	if strings.ContainsAny(cmdline, shellChars) {
		return []string{"/bin/sh", "-c", cmdline}
	}
	return strings.Fields(cmdline)
}

// startChild starts cmdline stopped.
func startChild(cmdline string, stdout, stderr io.Writer) (*child, error) {
	args := commandArgs(cmdline)
	if len(args) == 0 {
		return nil, fmt.Errorf("-c: empty command")
	}
	c := &child{cmd: exec.Command(args[0], args[1:]...), release: make(chan struct{}), exited: make(chan struct{})}
	c.cmd.Stdin, c.cmd.Stdout, c.cmd.Stderr = os.Stdin, stdout, stderr
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Ptrace: true}
	started := make(chan error)
	go func() {
		// A tracee answers to the thread that traced it: start and
		// detach from one OS thread, which dies with this goroutine.
		runtime.LockOSThread()
		err := c.cmd.Start()
		if err == nil {
			var ws unix.WaitStatus
			_, err = unix.Wait4(c.cmd.Process.Pid, &ws, 0, nil)
			if err == nil && !ws.Stopped() {
				err = fmt.Errorf("it ended before it started (%v)", ws)
			}
		}
		started <- err
		if err != nil {
			return
		}
		<-c.release
		unix.PtraceDetach(c.cmd.Process.Pid)
	}()
	if err := <-started; err != nil {
		if c.cmd.Process != nil {
			c.cmd.Process.Kill()
			c.cmd.Wait()
		}
		return nil, fmt.Errorf("starting -c command %q: %w", cmdline, err)
	}
	go func() { c.cmd.Wait(); close(c.exited) }()
	return c, nil
}

// pid is the command's pid: cpid.
func (c *child) pid() uint32 { return uint32(c.cmd.Process.Pid) }

// run lets the command go on.
func (c *child) run() {
	select {
	case <-c.release:
	default:
		close(c.release)
	}
}

// kill ends the command when tracing ends first, and reaps it: SIGKILL
// when it never ran (the program did not compile or load), else SIGTERM
// and, a second later, SIGKILL.
func (c *child) kill() {
	select {
	case <-c.exited:
		return
	case <-c.release:
		c.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-c.exited:
			return
		case <-time.After(time.Second):
		}
	default:
	}
	c.cmd.Process.Kill()
	c.run()
	<-c.exited
}
