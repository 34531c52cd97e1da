package execsnoop

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
)

const wait = 10 * time.Second

// start runs execsnoop with args and waits until it is attached.
func start(t *testing.T, args ...string) *livetest.Tool {
	t.Helper()
	livetest.Require(t)
	tool := livetest.Start(t, Applet, append([]string{"-v"}, args...)...)
	if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("execsnoop did not start; stderr:\n%s", strings.Join(tool.Stderr(), "\n"))
	}
	return tool
}

func marker() string { return fmt.Sprintf("pbx-%d-%d", os.Getpid(), rand.Uint32()) }

// runChild starts a child and waits for it; exec failures are expected in some tests.
func runChild(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	if err := cmd.Start(); err != nil {
		return -1
	}
	pid := cmd.Process.Pid
	cmd.Wait()
	return pid
}

type jsonEvent struct {
	Comm          string   `json:"comm"`
	PID           int      `json:"pid"`
	PPID          int      `json:"ppid"`
	UID           uint32   `json:"uid"`
	Ret           int      `json:"ret"`
	Args          []string `json:"args"`
	ArgsTruncated bool     `json:"args_truncated"`
	TimestampNs   uint64   `json:"timestamp_ns"`
}

// waitJSON waits for an event whose args contain m.
func waitJSON(t *testing.T, tool *livetest.Tool, m string) (jsonEvent, bool) {
	t.Helper()
	line, ok := tool.WaitStdout(t, wait, func(l string) bool { return strings.Contains(l, m) })
	if !ok {
		return jsonEvent{}, false
	}
	var ev jsonEvent
	if err := json.Unmarshal([]byte(line), &ev); err != nil {
		t.Fatalf("line %q is not JSON: %v", line, err)
	}
	return ev, true
}

func TestLiveExecText(t *testing.T) {
	tool := start(t)
	m := marker()
	pid := runChild(t, exec.Command("/bin/true", m, "second arg"))
	line, ok := tool.WaitStdout(t, wait, func(l string) bool { return strings.Contains(l, m) })
	if !ok {
		t.Fatalf("no event for %s; stdout:\n%s", m, strings.Join(tool.Stdout(), "\n"))
	}
	if got := tool.Stdout()[0]; got != "PCOMM            PID    PPID   RET ARGS" {
		t.Errorf("header = %q", got)
	}
	want := fmt.Sprintf("%-16s %-6d %-6d %3d /bin/true %s second arg", "true", pid, os.Getpid(), 0, m)
	if line != want {
		t.Errorf("line =\n%q, want\n%q", line, want)
	}
	if status := tool.Stop(); status != 0 {
		t.Errorf("exit status %d after Ctrl-C, want 0", status)
	}
}

func TestLiveExecJSON(t *testing.T) {
	for _, disable := range []string{"", "ringbuf", "tracepoint", "tracepoint,tp_btf"} {
		t.Run("disable="+disable, func(t *testing.T) {
			t.Setenv("PROBEBOX_DISABLE", disable)
			tool := start(t, "--json")
			m := marker()
			pid := runChild(t, exec.Command("/bin/true", m))
			ev, ok := waitJSON(t, tool, m)
			if !ok {
				t.Fatalf("no event for %s; stderr:\n%s", m, strings.Join(tool.Stderr(), "\n"))
			}
			if ev.PID != pid || ev.PPID != os.Getpid() || ev.Ret != 0 || ev.Comm != "true" || ev.UID != 0 {
				t.Errorf("event %+v; want pid %d ppid %d ret 0 comm true uid 0", ev, pid, os.Getpid())
			}
			if len(ev.Args) != 2 || ev.Args[0] != "/bin/true" || ev.Args[1] != m || ev.ArgsTruncated {
				t.Errorf("args %q truncated=%v, want [/bin/true %s]", ev.Args, ev.ArgsTruncated, m)
			}
		})
	}
}

// TestLiveFails: -x shows a failed exec (ENOENT); the default mode does not.
func TestLiveFails(t *testing.T) {
	missing := "/nonexistent/" + marker()
	for _, withX := range []bool{true, false} {
		t.Run(fmt.Sprintf("x=%v", withX), func(t *testing.T) {
			args := []string{"--json"}
			if withX {
				args = append(args, "-x")
			}
			tool := start(t, args...)
			runChild(t, exec.Command(missing))
			after := marker()
			runChild(t, exec.Command("/bin/true", after))
			if _, ok := waitJSON(t, tool, after); !ok {
				t.Fatal("no event for the marker exec")
			}
			var failed *jsonEvent
			for _, l := range tool.Stdout() {
				if strings.Contains(l, missing) {
					var ev jsonEvent
					json.Unmarshal([]byte(l), &ev)
					failed = &ev
				}
			}
			switch {
			case withX && failed == nil:
				t.Fatal("-x: failed exec not shown")
			case withX && failed.Ret != -int(syscall.ENOENT):
				t.Errorf("-x: ret = %d, want %d", failed.Ret, -int(syscall.ENOENT))
			case !withX && failed != nil:
				t.Errorf("failed exec shown without -x: %+v", *failed)
			}
		})
	}
}

func TestLiveUIDFilter(t *testing.T) {
	tool := start(t, "--json", "-u", "65534")
	asRoot, asNobody := marker(), marker()
	runChild(t, exec.Command("/bin/true", asRoot))
	cmd := exec.Command("/bin/true", asNobody)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	runChild(t, cmd)
	ev, ok := waitJSON(t, tool, asNobody)
	if !ok || ev.UID != 65534 {
		t.Fatalf("uid 65534 exec: %+v, found %v", ev, ok)
	}
	for _, l := range tool.Stdout() {
		if strings.Contains(l, asRoot) {
			t.Errorf("-u 65534 let a root exec through: %s", l)
		}
	}
}

// linkTrue makes a symlink to /bin/true whose name becomes the new comm.
func linkTrue(t *testing.T, name string) string {
	path := filepath.Join(t.TempDir(), name)
	if err := os.Symlink("/bin/true", path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLiveNameFilter(t *testing.T) {
	other := linkTrue(t, "pbxother")
	wanted := linkTrue(t, "pbxwanted")
	tool := start(t, "--json", "-n", "wante")
	m1, m2 := marker(), marker()
	runChild(t, exec.Command(other, m1))
	runChild(t, exec.Command(wanted, m2))
	if ev, ok := waitJSON(t, tool, m2); !ok || ev.Comm != "pbxwanted" {
		t.Fatalf("-n wante: wanted exec %+v, found %v", ev, ok)
	}
	for _, l := range tool.Stdout() {
		if strings.Contains(l, m1) {
			t.Errorf("-n wante let %s through", l)
		}
	}
}

func TestLivePPIDFilter(t *testing.T) {
	tool := start(t, "--json", "-P", strconv.Itoa(os.Getpid()))
	direct, grandchild := marker(), marker()
	runChild(t, exec.Command("/bin/sh", "-c", "/bin/true "+grandchild+"; exit 0"))
	runChild(t, exec.Command("/bin/true", direct))
	if _, ok := waitJSON(t, tool, direct); !ok {
		t.Fatal("-P: direct child not shown")
	}
	for _, l := range tool.Stdout() {
		if strings.Contains(l, `"/bin/true","`+grandchild) {
			t.Errorf("-P let a grandchild through: %s", l)
		}
	}
}

// TestLiveEscapes: a process named with a terminal escape is printed escaped.
func TestLiveEscapes(t *testing.T) {
	evil := linkTrue(t, "pbx\x1b[31mred")
	tool := start(t)
	m := marker()
	runChild(t, exec.Command(evil, m, "arg\nwith newline"))
	line, ok := tool.WaitStdout(t, wait, func(l string) bool { return strings.Contains(l, m) })
	if !ok {
		t.Fatal("no event for the escape test")
	}
	if strings.ContainsRune(line, 0x1b) {
		t.Fatalf("raw ESC reached the output: %q", line)
	}
	if !strings.HasPrefix(line, `pbx\x1b[31mred `) || !strings.HasSuffix(line, m+` arg\nwith newline`) {
		t.Errorf("line %q lacks the escaped comm or argument", line)
	}
}

func TestLiveMaxArgs(t *testing.T) {
	tool := start(t, "--json", "--max-args", "3")
	m := marker()
	runChild(t, exec.Command("/bin/true", m, "b", "c", "d"))
	ev, ok := waitJSON(t, tool, m)
	if !ok {
		t.Fatal("no event")
	}
	if len(ev.Args) != 3 || !ev.ArgsTruncated {
		t.Errorf("--max-args 3: args %q truncated %v", ev.Args, ev.ArgsTruncated)
	}
}

// TestLiveLostEvents: when the reader falls behind, every event the kernel
// could not deliver is counted: delivered + lost = produced, exactly.
func TestLiveLostEvents(t *testing.T) {
	for _, disable := range []string{"", "ringbuf"} {
		t.Run("disable="+disable, func(t *testing.T) {
			t.Setenv("PROBEBOX_DISABLE", disable)
			t.Setenv("PROBEBOX_BUFFER_BYTES", "4096")
			tool := start(t, "--json", "-P", strconv.Itoa(os.Getpid()))
			tool.PauseStdout()
			prefix := marker() + "-"
			runChild(t, exec.Command("/bin/true", prefix+"first"))
			time.Sleep(300 * time.Millisecond) // the writer's flush now blocks
			const n = 400
			for i := range n {
				runChild(t, exec.Command("/bin/true", fmt.Sprintf("%s%d", prefix, i)))
			}
			tool.ResumeStdout()
			time.Sleep(300 * time.Millisecond)
			if status := tool.Stop(); status != 0 {
				t.Fatalf("status %d", status)
			}
			delivered := 0
			for _, l := range tool.Stdout() {
				if strings.Contains(l, prefix) {
					delivered++
				}
			}
			var lost int
			for _, l := range tool.Stderr() {
				if strings.HasSuffix(l, "events lost in total (the kernel could not deliver them)") {
					fmt.Sscanf(strings.TrimPrefix(l, "execsnoop: "), "%d", &lost)
				}
			}
			t.Logf("produced %d, delivered %d, lost %d", n+1, delivered, lost)
			if lost == 0 {
				t.Errorf("a 4 KiB buffer and a stalled reader lost nothing; the test did not stress it")
			}
			if delivered+lost != n+1 {
				t.Errorf("delivered %d + lost %d != produced %d\nstderr:\n%s", delivered, lost, n+1, strings.Join(tool.Stderr(), "\n"))
			}
		})
	}
}

// TestLiveBTFFile: --btf and PROBEBOX_BTF load against a BTF file instead
// of the running kernel's /sys/kernel/btf/vmlinux.
func TestLiveBTFFile(t *testing.T) {
	livetest.Require(t)
	data, err := os.ReadFile("/sys/kernel/btf/vmlinux")
	if err != nil {
		t.Fatalf("this test copies the kernel BTF: %v", err)
	}
	copyPath := filepath.Join(t.TempDir(), "vmlinux.btf")
	if err := os.WriteFile(copyPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, how := range []string{"flag", "env"} {
		t.Run(how, func(t *testing.T) {
			args := []string{"--json"}
			if how == "flag" {
				args = append(args, "--btf", copyPath)
			} else {
				t.Setenv("PROBEBOX_BTF", copyPath)
			}
			tool := start(t, args...)
			if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "kernel BTF from "+copyPath) }); !ok {
				t.Errorf("-v does not name the BTF file: %q", tool.Stderr())
			}
			m := marker()
			pid := runChild(t, exec.Command("/bin/true", m))
			if ev, ok := waitJSON(t, tool, m); !ok || ev.PID != pid {
				t.Fatalf("event %+v found %v, want pid %d", ev, ok, pid)
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		tool := livetest.Start(t, Applet, "--btf", "/nonexistent/vmlinux")
		status, exited := tool.Exited(wait)
		if !exited || status != 2 { // a file the user named is missing: usage error
			t.Fatalf("exited %v status %d, want 2", exited, status)
		}
		if errs := tool.Stderr(); len(errs) != 1 || !strings.Contains(errs[0], "/nonexistent/vmlinux") {
			t.Errorf("stderr %q: want one line naming the file", errs)
		}
	})
}

// cgroup2Root finds the cgroup v2 mount (unified, or hybrid's unified/).
func cgroup2Root(t *testing.T) string {
	b, _ := os.ReadFile("/proc/self/mounts")
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) >= 3 && f[2] == "cgroup2" {
			return f[1]
		}
	}
	t.Fatal("no cgroup2 mount for the -c test")
	return ""
}

// TestLiveCgroupFilter: -c shows execs of processes in that cgroup only.
func TestLiveCgroupFilter(t *testing.T) {
	livetest.Require(t)
	cg := filepath.Join(cgroup2Root(t), fmt.Sprintf("pbx-test-%d", os.Getpid()))
	if err := os.Mkdir(cg, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(cg) })
	tool := start(t, "--json", "-c", cg)
	inside, outside := marker(), marker()
	// The child waits on stdin until it has been moved into the cgroup.
	cmd := exec.Command("/bin/sh", "-c", "read x; exec /bin/true "+inside)
	stdin, _ := cmd.StdinPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cg, "cgroup.procs"), []byte(strconv.Itoa(cmd.Process.Pid)), 0o644); err != nil {
		t.Fatal(err)
	}
	runChild(t, exec.Command("/bin/true", outside))
	stdin.Write([]byte("go\n"))
	stdin.Close()
	cmd.Wait()
	if _, ok := waitJSON(t, tool, inside); !ok {
		t.Fatal("exec inside the cgroup not shown")
	}
	for _, l := range tool.Stdout() {
		if strings.Contains(l, outside) {
			t.Errorf("-c let an exec outside the cgroup through: %s", l)
		}
	}
}
