package trace

import (
	"debug/elf"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/probebox/probebox/core/livetest"
)

// TestLiveCpid: with -c, cpid is the command's own pid (not a shell's):
// a pid == cpid filter counts the command's opens and nobody else's,
// including its very first ones (it runs only once probes are attached),
// and trace stops when the command exits.
func TestLiveCpid(t *testing.T) {
	livetest.Require(t)
	file := filepath.Join(t.TempDir(), "pbx-cpid-file")
	os.WriteFile(file, []byte("cpid test\n"), 0o644)
	tool := livetest.Start(t, Applet, "-c", "/bin/cat "+file, "-e",
		`BEGIN { printf("cpid %d\n", cpid); } tracepoint:syscalls:sys_enter_openat /pid == cpid/ { @[comm] = count(); @file[str(args->filename)] = count(); }`)
	status, exited := tool.Exited(wait)
	if !exited || status != 0 {
		t.Fatalf("trace did not stop with its command: exited %v status %d, stderr %q", exited, status, tool.Stderr())
	}
	out := tool.Stdout()
	if len(out) < 3 || out[0] != "Attaching 2 probes..." || !strings.HasPrefix(out[1], "cpid ") || out[1] == "cpid 0" || out[2] != "cpid test" {
		t.Fatalf("want Attaching, cpid N from BEGIN, then the command's output; got %q", out)
	}
	var keys []string
	for _, l := range out {
		if strings.HasPrefix(l, "@[") {
			keys = append(keys, l[:strings.Index(l, "]")+1])
		}
	}
	if len(keys) != 1 || keys[0] != "@[cat]" {
		t.Errorf("comms %v, want only @[cat]; output %q", keys, out)
	}
	if !containsLine(out, "@file["+file+"]: 1") {
		t.Errorf("no @file[%s]: 1 in %q", file, out)
	}
	// The dynamic loader's first open happens before any of cat's own
	// code: seeing it shows the command waited for the probes. (A static
	// cat, busybox's in the kernel matrix's guest, has no loader.)
	if dynamic(t, "/bin/cat") && !containsPrefix(out, "@file[/etc/ld.so.cache]: ") {
		t.Errorf("the loader's first open was missed: %q", out)
	}
}

// TestLiveCpidSameAsBpftrace: the same filter, same output as bpftrace.
func TestLiveCpidSameAsBpftrace(t *testing.T) {
	sameAsBpftrace(t, `tracepoint:sched:sched_process_exit /pid == cpid/ { printf("exit %d\n", pid == cpid); }`, "-c", "/bin/true")
}

func containsLine(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}

func containsPrefix(lines []string, prefix string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}

// TestLiveDerefSameAsBpftrace: * through BTF pointers and integer
// pointer casts reads what -> reads, as under bpftrace.
func TestLiveDerefSameAsBpftrace(t *testing.T) {
	sameAsBpftrace(t, `BEGIN { printf("%d %d %d\n", (*curtask).tgid == pid, (*curtask->real_parent).pid == curtask->real_parent->pid, *(int32 *)((uint64)curtask->real_parent + 0) == *(int32 *)curtask->real_parent); exit(); }`)
}

// dynamic reports whether the program at path has a dynamic loader.
func dynamic(t *testing.T, path string) bool {
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return true
		}
	}
	return false
}
