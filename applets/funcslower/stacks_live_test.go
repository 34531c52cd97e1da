package funcslower

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/probebox/probebox/internal/functest"
)

// TestLiveUserStack: -U names the user stack where each slow call
// returned: in its caller, the helper's loop (functest.Run; a Go binary,
// frame pointers and its own symbol table), innermost first.
func TestLiveUserStack(t *testing.T) {
	sleeper := functest.Start(t, "fslow-u", "sleep", 5)
	tool := start(t, "-U", "-m", "3", "-p", strconv.Itoa(sleeper.PID), sleeper.Path+":"+functest.SleepSymbol)
	sleeper.Go(t)
	if status := tool.Stop(); status != 0 {
		t.Fatalf("status %d; stderr %q", status, tool.Stderr())
	}
	out := tool.Stdout()
	if len(out) != 5 {
		t.Fatalf("%d slow calls, want 5:\n%s", len(out), strings.Join(out, "\n"))
	}
	for _, l := range out {
		var e struct {
			User   []string `json:"user_stack"`
			Kernel []string `json:"kernel_stack"`
		}
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		if len(e.User) == 0 || !strings.HasPrefix(e.User[0], "github.com/probebox/probebox/internal/functest.Run") {
			t.Errorf("user stack %q: want the caller, functest.Run, innermost", e.User)
		}
		if e.Kernel != nil {
			t.Errorf("kernel stack %q without -K", e.Kernel)
		}
	}
}
