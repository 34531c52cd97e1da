package livetest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Cgroup makes a cgroup v2 directory named after name and the test
// process, removed when the test ends (its processes have exited by then:
// RunInCgroup waits for them).
func Cgroup(t testing.TB, name string) string {
	t.Helper()
	b, _ := os.ReadFile("/proc/self/mounts")
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 3 && f[2] == "cgroup2" {
			cg := filepath.Join(f[1], "pbx-"+name+"-"+strconv.Itoa(os.Getpid()))
			if err := os.Mkdir(cg, 0o755); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.Remove(cg) })
			return cg
		}
	}
	t.Fatal("no cgroup2 mount for a cgroup test")
	return ""
}

// RunInCgroup runs a Helper command whose arguments start with "wait":
// it moves the helper into the cgroup v2 directory cg before the helper
// does anything, then waits for it to end. It returns the helper's PID.
func RunInCgroup(t testing.TB, cmd *exec.Cmd, cg string) int {
	t.Helper()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("helper %s: %v", cmd.Path, err)
	}
	err = os.WriteFile(filepath.Join(cg, "cgroup.procs"), []byte(strconv.Itoa(cmd.Process.Pid)), 0o644)
	stdin.Write([]byte("go\n"))
	stdin.Close()
	if werr := cmd.Wait(); err == nil {
		err = werr
	}
	if err != nil {
		t.Fatalf("helper %s in cgroup %s: %v", cmd.Path, cg, err)
	}
	return cmd.Process.Pid
}
