package capable

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/probebox/probebox/internal/proctest"
)

// TestLiveStacks: -K and -U name the stacks of the helper's denied
// unshare(CLONE_NEWUTS): the kernel stack passes through the unshare
// system call, the user stack through the helper's call of
// unix.Unshare (a Go binary: frame pointers, its own symbol table; the
// helper lingers so that its maps can still be read). In text, the
// frames follow the event's line, indented eight spaces.
func TestLiveStacks(t *testing.T) {
	h := proctest.Start(t, proctest.Cmd(t, "pbx-nocap", "nocap", "linger"))
	js := start(t, "--json", "-K", "-U", "-p", strconv.Itoa(h.Pid))
	text := start(t, "-K", "-p", strconv.Itoa(h.Pid))
	h.Go()
	line, ok := js.WaitStdout(t, wait, func(l string) bool { return strings.Contains(l, `"verdict":"deny"`) })
	if !ok {
		t.Fatalf("no denial: %q", js.Stdout())
	}
	var ev struct {
		Kernel []string `json:"kernel_stack"`
		User   []string `json:"user_stack"`
	}
	if err := json.Unmarshal([]byte(line), &ev); err != nil {
		t.Fatalf("%q: %v", line, err)
	}
	if !hasFrame(ev.Kernel, "sys_unshare") {
		t.Errorf("kernel stack %q: no unshare system call", ev.Kernel)
	}
	if !hasFrame(ev.User, "unix.Unshare") {
		t.Errorf("user stack %q: no unix.Unshare", ev.User)
	}
	if _, ok := text.WaitStdout(t, wait, func(l string) bool { return strings.HasPrefix(l, "        ") && strings.Contains(l, "sys_unshare") }); !ok {
		t.Errorf("-K text: no indented unshare frame:\n%s", strings.Join(text.Stdout(), "\n"))
	}
}

func hasFrame(frames []string, part string) bool {
	for _, f := range frames {
		if strings.Contains(f, part) {
			return true
		}
	}
	return false
}
