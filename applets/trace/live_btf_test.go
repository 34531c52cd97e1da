package trace

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/probebox/probebox/core/livetest"
)

// TestLiveCurtask: a helper process's task_struct, read through BTF:
// its comm, its parent (this test) and the parent's comm.
func TestLiveCurtask(t *testing.T) {
	file := filepath.Join(t.TempDir(), "pbx-btf-file")
	os.WriteFile(file, []byte("x"), 0o644)
	tool := startTrace(t, `tracepoint:syscalls:sys_enter_openat /comm == "pbxbtf"/ {
	printf("%s %d %s %d\n", curtask->comm, curtask->real_parent->tgid, ((struct task_struct *)curtask)->real_parent->comm, curtask->tgid == pid); }`)
	livetest.Helper(t, "pbxbtf", "open", file).Run()
	self, _ := os.ReadFile("/proc/self/comm")
	want := fmt.Sprintf("pbxbtf %d %s 1", os.Getpid(), self[:len(self)-1])
	if _, ok := tool.WaitStdout(t, wait, func(l string) bool { return l == want }); !ok {
		t.Errorf("no line %q in %q", want, tool.Stdout())
	}
}
