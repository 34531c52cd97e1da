package proctest

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/probebox/probebox/core/livetest"
)

// MemoryCgroup makes a cgroup limited to limit bytes of memory (and no
// swap where that can be set) and returns the file to write a PID to, to
// move it in. cgroup v2's memory controller is used where it is on offer;
// hosts that keep memory on cgroup v1 (hybrid hierarchies, like the
// development machine) get a v1 memory cgroup under the test's own.
func MemoryCgroup(t *testing.T, limit int) string {
	t.Helper()
	cg := livetest.Cgroup(t, "mem")
	// The memory controller must be on in the parent for memory.max to exist.
	os.WriteFile(filepath.Join(filepath.Dir(cg), "cgroup.subtree_control"), []byte("+memory"), 0o644)
	if err := os.WriteFile(filepath.Join(cg, "memory.max"), []byte(strconv.Itoa(limit)), 0o644); err == nil {
		os.WriteFile(filepath.Join(cg, "memory.swap.max"), []byte("0"), 0o644)
		return filepath.Join(cg, "cgroup.procs")
	}
	own := ""
	if b, err := os.ReadFile("/proc/self/cgroup"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if f := strings.SplitN(l, ":", 3); len(f) == 3 && f[1] == "memory" {
				own = f[2]
			}
		}
	}
	v1 := filepath.Join("/sys/fs/cgroup/memory", own, "pbx-mem-"+strconv.Itoa(os.Getpid())+"-"+strconv.Itoa(len(t.Name())))
	if err := os.Mkdir(v1, 0o755); err != nil {
		livetest.Unavailable(t, "no memory controller to limit (cgroup v2 memory.max, or v1 under /sys/fs/cgroup/memory): %v", err)
	}
	t.Cleanup(func() { os.Remove(v1) })
	if err := os.WriteFile(filepath.Join(v1, "memory.limit_in_bytes"), []byte(strconv.Itoa(limit)), 0o644); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(v1, "memory.memsw.limit_in_bytes"), []byte(strconv.Itoa(limit)), 0o644)
	return filepath.Join(v1, "cgroup.procs")
}

// Join moves the process pid into the cgroup whose cgroup.procs is procs.
func Join(t *testing.T, procs string, pid int) {
	t.Helper()
	if err := os.WriteFile(procs, []byte(strconv.Itoa(pid)), 0o644); err != nil {
		t.Fatal(err)
	}
}
