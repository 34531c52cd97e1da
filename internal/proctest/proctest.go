// Package proctest starts helper processes that do one known thing a
// process tool must see: exit with a code, wait to be killed, send a
// signal, make a known series of syscalls. The helper is this test binary
// under a name of the test's choosing (its comm), made by core/livetest,
// so no other program is needed on busybox-only test kernels.
package proctest

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"

	"github.com/probebox/probebox/core/livetest"
)

// actionEnv selects the helper's action; it is checked before livetest's
// own helper marker, so both kinds of helper work from one TestMain.
const actionEnv = "PBX_PROCTEST_ACTION"

// An Action is what a helper does with its arguments; it returns the exit
// status.
type Action func(args []string) int

var actions = map[string]Action{
	"exit":       actExit,
	"wait":       actWait,
	"kill":       actKill,
	"tkill":      actTkill,
	"threadexit": actThreadExit,
	"syscalls":   actSyscalls,
	"stat":       actStat,
	"mount":      actMount,
	"nocap":      actNoCap,
	"alloc":      actAlloc,
	"setuid":     actSetuid,
	"spawn":      actSpawn,
	"writefile":  actWriteFile,
}

// Register adds a package's own action (call it from TestMain before Main).
func Register(name string, a Action) { actions[name] = a }

// Main runs the tests, or the helper's action when this process is one.
func Main(m *testing.M) {
	if name := os.Getenv(actionEnv); name != "" {
		a, ok := actions[name]
		if !ok {
			fmt.Fprintf(os.Stderr, "proctest: no action %q\n", name)
			os.Exit(2)
		}
		os.Exit(a(os.Args[1:]))
	}
	livetest.Main(m)
}

// Cmd returns a helper that runs action with args under the name comm.
func Cmd(t testing.TB, comm, action string, args ...string) *exec.Cmd {
	t.Helper()
	if _, ok := actions[action]; !ok {
		names := make([]string, 0, len(actions))
		for n := range actions {
			names = append(names, n)
		}
		sort.Strings(names)
		t.Fatalf("proctest: no action %q (have %s)", action, strings.Join(names, ", "))
	}
	cmd := livetest.Helper(t, comm, args...)
	cmd.Env = append(cmd.Env, actionEnv+"="+action)
	return cmd
}

// Proc is a started helper that announced itself with a first line.
type Proc struct {
	Cmd   *exec.Cmd
	Pid   int
	Line  string // the helper's first line of output, trimmed
	stdin io.WriteCloser
}

// Start starts cmd and waits for its first line of output ("ready", or
// what the action reports, like a thread ID). The helper is killed when
// the test ends if it is still there.
func Start(t testing.TB, cmd *exec.Cmd) *Proc {
	t.Helper()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("helper %s: %v", cmd.Path, err)
	}
	p := &Proc{Cmd: cmd, Pid: cmd.Process.Pid, stdin: stdin}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("helper %s said nothing: %v", cmd.Path, err)
	}
	p.Line = strings.TrimSpace(line)
	return p
}

// Go sends the helper the line it waits for on stdin and returns at once
// (a helper that lingers afterwards is killed at the test's end).
func (p *Proc) Go() {
	p.stdin.Write([]byte("go\n"))
}

// Continue sends the helper the line it waits for on stdin and waits for
// it to end; it returns the wait status.
func (p *Proc) Continue() error {
	p.stdin.Write([]byte("go\n"))
	p.stdin.Close()
	return p.Cmd.Wait()
}
