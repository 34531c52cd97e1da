package ttysnoop

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/livetest"
)

// wait is generous: under TCG in the kernel matrix, loading alone can take
// many seconds.
const wait = 60 * time.Second

func start(t *testing.T, args ...string) *livetest.Tool {
	t.Helper()
	tool := livetest.Start(t, Applet, append([]string{"-v"}, args...)...)
	if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("ttysnoop did not start: %q", tool.Stderr())
	}
	return tool
}

// TestLiveWrites: the test opens two pseudo-terminals and writes to both
// (write() and, through Go's vectored writes, the same data); ttysnoop on
// the first shows exactly its text, newlines kept and an escape sequence
// escaped, and nothing of the second; --json carries the writer's PID.
func TestLiveWrites(t *testing.T) {
	livetest.Require(t)
	watched, other := livetest.OpenPTY(t), livetest.OpenPTY(t)
	for _, p := range []*livetest.PTY{watched, other} {
		go io.Copy(io.Discard, p.Master)
	}
	text := start(t, "-C", watched.Name)
	js := start(t, "--json", watched.Name)
	// tty_write() where fentry or kprobes exist (the 6.1 and 6.12
	// guests), the syscall stand-in where not (the host).
	hook := "tracepoint syscalls:sys_enter_write"
	if attach.Running.Supports(attach.Fentry) == nil || attach.Running.Supports(attach.Kprobe) == nil {
		hook = " tty_write"
	}
	if !strings.Contains(strings.Join(text.Stderr(), "\n"), hook) {
		t.Errorf("-v does not name %q: %q", hook, text.Stderr())
	}

	token := fmt.Sprintf("pbx-tty-%d", time.Now().UnixNano())
	fmt.Fprintf(other.Slave, "%s-other\n", token)
	written := fmt.Sprintf("%s first\n%s \x1b[2J second\n", token, token)
	io.WriteString(watched.Slave, written)

	if _, ok := text.WaitStdout(t, wait, func(l string) bool { return strings.Contains(l, "second") }); !ok {
		t.Fatalf("no output seen; stdout %q", text.Stdout())
	}
	want := []string{token + " first", token + ` \x1b[2J second`}
	var got []string
	for _, l := range text.Stdout() {
		if strings.Contains(l, token) {
			got = append(got, l)
		}
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("watched terminal's output %q, want %q", got, want)
	}

	key := `"data":"` + token + ` first`
	line, ok := js.WaitStdout(t, wait, func(l string) bool { return strings.Contains(l, key) })
	if !ok {
		t.Fatalf("--json: no event; stdout %q", js.Stdout())
	}
	var ev struct {
		PID  int    `json:"pid"`
		Comm string `json:"comm"`
		Len  int    `json:"len"`
		Data string `json:"data"`
	}
	if err := json.Unmarshal([]byte(line), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.PID != os.Getpid() || ev.Len != len(written) || ev.Data != written {
		t.Errorf("--json event %+v; want pid %d and the data as written, %q", ev, os.Getpid(), written)
	}
}
