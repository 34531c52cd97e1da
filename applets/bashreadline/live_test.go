package bashreadline

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
)

// wait is generous: under TCG in the kernel matrix, loading alone can take
// many seconds.
const wait = 20 * time.Second

// startBash runs an interactive bash on a pseudo-terminal the test types
// into, as a user at a terminal would.
func startBash(t *testing.T) (*exec.Cmd, *livetest.PTY, *syncBuf) {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash is not installed (the busybox test guests)")
	}
	pty := livetest.OpenPTY(t)
	cmd := exec.Command(bash, "--norc", "--noprofile", "-i")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = pty.Slave, pty.Slave, pty.Slave
	cmd.Env = []string{"TERM=dumb", "PS1=$ ", "HOME=" + t.TempDir(), "HISTFILE=/dev/null", "PATH=" + os.Getenv("PATH")}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	screen := &syncBuf{}
	go io.Copy(screen, pty.Master) // the terminal's screen
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("bash %d's screen: %q", cmd.Process.Pid, screen.String())
		}
	})
	return cmd, pty, screen
}

// waitPrompt waits until the screen shows the prompt again after the
// line with mark: bash is back in readline, with the terminal in its raw
// mode (typed before that, a Ctrl-V would be the terminal driver's, not
// readline's).
func waitPrompt(t *testing.T, screen *syncBuf, mark string) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		s := screen.String()
		if i := strings.Index(s, mark); i >= 0 && strings.Contains(s[i:], "\n$ ") {
			time.Sleep(50 * time.Millisecond)
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no prompt after %q: %q", mark, screen.String())
}

// syncBuf collects a terminal's output for a failing test's log.
type syncBuf struct {
	mu sync.Mutex
	b  []byte
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b = append(s.b, p...)
	return len(p), nil
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return string(s.b)
}

// TestLiveTypedLine: a line typed into an interactive bash on a pty shows
// with the shell's PID; -p keeps another bash's line out; a control
// sequence typed into the line is escaped.
func TestLiveTypedLine(t *testing.T) {
	livetest.Require(t)
	bash, pty, screen := startBash(t)
	other, otherPTY, otherScreen := startBash(t)
	byPID := livetest.Start(t, Applet, "-v", "-p", strconv.Itoa(bash.Process.Pid))
	js := livetest.Start(t, Applet, "-v", "--json")
	for _, tool := range []*livetest.Tool{byPID, js} {
		if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
			t.Fatalf("bashreadline did not start: %q", tool.Stderr())
		}
	}
	token := fmt.Sprintf("pbx-typed-%d", time.Now().UnixNano())
	// Both shells sat in a readline() call that began before the probe:
	// its return is not seen (a uretprobe catches calls that enter after
	// it), so each first gets a line that is not asserted on. Ctrl-V
	// (quoted-insert) makes readline take ESC and BEL literally.
	for _, m := range []*os.File{pty.Master, otherPTY.Master} {
		fmt.Fprintf(m, ": warm-up\r")
	}
	waitPrompt(t, screen, "warm-up")
	waitPrompt(t, otherScreen, "warm-up")
	fmt.Fprintf(pty.Master, ": %s \x16\x1b]0:title\x16\x07\r", token)
	fmt.Fprintf(otherPTY.Master, ": %s-other\r", token)

	line, ok := byPID.WaitStdout(t, wait, func(l string) bool { return strings.Contains(l, token) })
	if !ok {
		t.Fatalf("no line for the typed command; stdout %q stderr %q", byPID.Stdout(), byPID.Stderr())
	}
	f := strings.Fields(line)
	if len(f) < 4 || f[1] != strconv.Itoa(bash.Process.Pid) || f[2] != ":" || f[3] != token {
		t.Errorf("line %q; want TIME %d : %s ...", line, bash.Process.Pid, token)
	}
	if strings.ContainsAny(line, "\x1b\x07") || !strings.Contains(line, `\x1b]0:title\x07`) {
		t.Errorf("the typed control sequence was not escaped: %q", line)
	}
	if got := byPID.Stdout()[0]; got != "TIME      PID     COMMAND" {
		t.Errorf("header %q", got)
	}

	seen := map[int]string{}
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) && len(seen) < 2 {
		js.WaitStdout(t, 200*time.Millisecond, func(string) bool { return false })
		for _, l := range js.Stdout() {
			var ev struct {
				PID     int    `json:"pid"`
				Comm    string `json:"comm"`
				Command string `json:"command"`
			}
			if err := json.Unmarshal([]byte(l), &ev); err != nil {
				t.Fatalf("%q: %v", l, err)
			}
			if strings.Contains(ev.Command, token) {
				seen[ev.PID] = ev.Command
				if ev.Comm != "bash" {
					t.Errorf("comm %q, want bash", ev.Comm)
				}
			}
		}
	}
	if seen[bash.Process.Pid] != ": "+token+" \x1b]0:title\x07" || seen[other.Process.Pid] != ": "+token+"-other" {
		t.Errorf("--json commands by PID %v; want both shells' lines verbatim", seen)
	}
	time.Sleep(100 * time.Millisecond)
	for _, l := range byPID.Stdout() {
		if strings.Contains(l, token+"-other") {
			t.Errorf("-p %d let another shell's line through: %q", bash.Process.Pid, l)
		}
	}
}
