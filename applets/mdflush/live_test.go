package mdflush

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/livetest"
)

func TestMain(m *testing.M) { livetest.Main(m) }

// TestLiveHooks: mdflush needs fentry or a kprobe on md_flush_request,
// which exists only with the md driver loaded. Without them (the
// development machine; the kernel matrix's guest, which has no md), it
// ends at once with one line saying what is missing and status 1; with
// them, it attaches and ends cleanly on Ctrl-C.
func TestLiveHooks(t *testing.T) {
	livetest.Require(t)
	tool := livetest.Start(t, Applet)
	kallsyms, _ := os.ReadFile("/proc/kallsyms")
	haveMD := strings.Contains(string(kallsyms), " md_flush_request")
	canHook := attach.Running.Supports(attach.Fentry) == nil || attach.Running.Supports(attach.Kprobe) == nil
	if !haveMD || !canHook {
		status, exited := tool.Exited(20 * time.Second)
		errs := tool.Stderr()
		if !exited || status != 1 || len(errs) != 1 || !strings.Contains(errs[0], "no way to hook md flush") {
			t.Fatalf("exited %v status %d stderr %q: want status 1 and one line", exited, status, errs)
		}
		return
	}
	if _, ok := tool.WaitStdout(t, 30*time.Second, func(l string) bool { return strings.HasPrefix(l, "TIME") }); !ok {
		t.Fatalf("did not start: %q", tool.Stderr())
	}
	if status := tool.Stop(); status != 0 {
		t.Fatalf("status %d: %q", status, tool.Stderr())
	}
}
