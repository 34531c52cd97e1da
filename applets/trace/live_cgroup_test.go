package trace

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/livetest"
)

// TestLiveCgroupPathSameAsBpftrace: cgroup_path(cgroup) of a shell the
// test moves into a cgroup2 group of its own, then with the "unified"
// filter, then of an id no cgroup has; next to bpftrace the outputs are
// compared whole.
func TestLiveCgroupPathSameAsBpftrace(t *testing.T) {
	livetest.Require(t)
	root := cgroup2Mount(t)
	name := fmt.Sprintf("pbx-cgpath-%d", os.Getpid())
	dir := filepath.Join(root, name)
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(dir) })
	sh := exec.Command("/bin/sh", "-c", "read x; exit 0")
	in := waiting(t, sh)
	if err := os.WriteFile(filepath.Join(dir, "cgroup.procs"), []byte(strconv.Itoa(sh.Process.Pid)), 0o644); err != nil {
		t.Fatal(err)
	}
	program := fmt.Sprintf(`tracepoint:syscalls:sys_enter_exit_group /pid == %d/ { printf("%%s|%%s|%%s\n", cgroup_path(cgroup), cgroup_path(cgroup, "unified"), cgroup_path(123456789)); }`, sh.Process.Pid)
	ours := seeComparing(t, program, func() {
		in.Write([]byte("go\n"))
		in.Close()
		sh.Wait()
	})
	if want := "unified:/" + name; !strings.HasPrefix(ours, want) || !strings.Contains(ours, "|"+want+"|\n") {
		t.Errorf("got:\n%s\nwant %s in the first two fields and nothing in the third", ours, want)
	}
}

// cgroup2Mount is where the unified hierarchy is mounted, mounted by the
// test in a directory of its own where nothing mounts it.
func cgroup2Mount(t *testing.T) string {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		pre, post, _ := strings.Cut(sc.Text(), " - ")
		if fields := strings.Fields(pre); strings.HasPrefix(post, "cgroup2 ") && len(fields) >= 5 {
			return fields[4]
		}
	}
	dir := t.TempDir()
	if err := unix.Mount("none", dir, "cgroup2", 0, ""); err != nil {
		t.Fatalf("mounting cgroup2: %v", err)
	}
	t.Cleanup(func() { unix.Unmount(dir, unix.MNT_DETACH) })
	return dir
}
