package trace

import (
	"os"
	"strings"
	"testing"

	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/livetest"
)

// TestLivePath: path() names the file of a struct path by bpf_d_path(),
// in kfunc probes of functions the kernel allows it in: the helper's
// opens (security_file_open, a struct file's embedded f_path) are printed
// with the file's full path, and its reads (security_file_permission: one
// read to EOF of the empty file per open) counted by it. (Not closes:
// since 6.9 close(2) flushes without filp_close.)
// Without fentry the program is refused (status 1, the error saying
// fentry: the host has no kprobes to stand in; arm64 6.1 has, but
// path() needs fentry).
func TestLivePath(t *testing.T) {
	livetest.Require(t)
	f, err := os.CreateTemp("", "pbxp") // short: path() keeps 64 bytes
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	t.Cleanup(func() { os.Remove(f.Name()) })
	program := `kfunc:security_file_open /comm == "pbxpath"/ { printf("open %s\n", path(args->file->f_path)); }
kfunc:security_file_permission /comm == "pbxpath"/ { @read[path(args->file->f_path)] = count(); }`
	if refusedWithoutFentry(t, program) {
		return
	}
	tool := startTrace(t, program)
	for range 3 {
		if out, err := livetest.Helper(t, "pbxpath", "open", f.Name()).CombinedOutput(); err != nil {
			t.Fatalf("helper: %v %s", err, out)
		}
	}
	if _, ok := tool.WaitStdout(t, wait, func(l string) bool { return l == "open "+f.Name() }); !ok {
		t.Errorf("no open line for %s in %q", f.Name(), tool.Stdout())
	}
	if out := stopAndOutput(t, tool); !strings.Contains(out, "@read["+f.Name()+"]: 3\n") {
		t.Errorf("no @read[%s]: 3 in %q", f.Name(), out)
	}
}

// refusedWithoutFentry: on a kernel without fentry, program (which needs
// it) must be refused with status 1 and an error naming fentry; reports
// whether it was such a kernel.
func refusedWithoutFentry(t *testing.T, program string) bool {
	t.Helper()
	if attach.Running.Supports(attach.Fentry) == nil {
		return false
	}
	tool := livetest.Start(t, Applet, "-e", program)
	status, _ := tool.Exited(wait)
	if errs := tool.Stderr(); status != 1 || len(errs) == 0 || !strings.Contains(errs[0], "fentry") {
		t.Errorf("without fentry: status %d, stderr %q; want 1 and an error naming fentry", status, errs)
	}
	return true
}
