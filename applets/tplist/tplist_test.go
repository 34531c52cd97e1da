package tplist

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/probebox/probebox/core/applet"
)

func runTplist(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var o, e bytes.Buffer
	status := Applet.Exec(context.Background(), args, applet.Streams{Stdout: &o, Stderr: &e})
	return status, o.String(), e.String()
}

// The kernel's own tracepoints: needs tracefs, which root can mount.
func TestTracepoints(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("reading tracefs needs root")
	}
	status, out, errs := runTplist(t, "sched:sched_process_ex*")
	if status != 0 || out != "sched:sched_process_exec\nsched:sched_process_exit\n" {
		t.Fatalf("status %d stdout %q stderr %q", status, out, errs)
	}
	status, out, _ = runTplist(t, "-v", "sched:sched_process_exit")
	if status != 0 || !strings.HasPrefix(out, "sched:sched_process_exit\n    char comm[16];\n    pid_t pid;\n") {
		t.Fatalf("-v: status %d stdout %q", status, out)
	}
}

func TestBadInput(t *testing.T) {
	if status, _, errs := runTplist(t, "-p", "0"); status != 2 || strings.Count(errs, "\n") != 1 {
		t.Errorf("-p 0: status %d stderr %q", status, errs)
	}
	if status, _, errs := runTplist(t, "-l", "/nonexistent/lib.so"); status != 2 || strings.Count(errs, "\n") != 1 {
		t.Errorf("missing -l file: status %d stderr %q", status, errs)
	}
}
