package trace

import (
	"runtime"
	"strings"
	"testing"

	"github.com/probebox/probebox/applets/trace/lang"
	"github.com/probebox/probebox/core/attach"
)

// TestKprobeOneLinersExplain: on a kernel with neither kprobes nor fentry
// the tutorial's kprobe lessons fail with one message line naming both,
// then the program line with the probe underlined.
func TestKprobeOneLinersExplain(t *testing.T) {
	if attach.Running.Supports(attach.Kprobe) == nil || attach.Running.Supports(attach.Fentry) == nil {
		t.Skip("this kernel has kprobes or fentry: the one-liners run")
	}
	for _, program := range []string{
		`kprobe:do_nanosleep { printf("PID %d sleeping...\n", pid); }`,
		`kretprobe:vfs_read { @bytes = lhist(retval, 0, 2000, 200); }`,
		`kprobe:vfs_read { @start[tid] = nsecs; } kretprobe:vfs_read /@start[tid]/ { @ns[comm] = hist(nsecs - @start[tid]); delete(@start[tid]); }`,
	} {
		err := compileProgram(program)
		if err == nil {
			t.Errorf("%s: no error", program)
			continue
		}
		lines := strings.Split(err.Error(), "\n")
		msg := lines[0]
		if len(lines) != 3 || lines[1] != program || !strings.HasPrefix(lines[2], "~~~~~~") || !strings.Contains(msg, "kprobe") || !(strings.Contains(msg, "fentry") || strings.Contains(msg, "fexit")) {
			t.Errorf("%s: error %q, want a line naming kprobes and fentry/fexit, the program, marks", program, err)
		}
	}
}

func compileProgram(program string) error {
	prog, err := lang.Parse("stdin", program)
	if err != nil {
		return err
	}
	_, err = lang.Compile(prog, newKernelEnv(), lang.Options{Arch: runtime.GOARCH})
	return err
}
