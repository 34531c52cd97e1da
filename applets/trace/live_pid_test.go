package trace

import (
	"io"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/probebox/probebox/core/livetest"
)

// waiting starts cmd with a stdin pipe; closing the pipe lets it go on.
func waiting(t *testing.T, cmd *exec.Cmd) io.WriteCloser {
	t.Helper()
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close(); cmd.Process.Kill(); cmd.Wait() })
	return in
}

// TestLivePIDFilter: with -p, only that process's events count, and
// trace stops by itself when the process exits.
func TestLivePIDFilter(t *testing.T) {
	livetest.Require(t)
	sh := exec.Command("/bin/sh", "-c", "read x; exit 0")
	in := waiting(t, sh)
	pid := strconv.Itoa(sh.Process.Pid)
	tool := livetest.Start(t, Applet, "-p", pid, "-e", `tracepoint:raw_syscalls:sys_enter { @[pid] = count(); }`)
	if _, ok := tool.WaitStdout(t, wait, func(l string) bool { return strings.HasPrefix(l, "Attaching ") }); !ok {
		t.Fatalf("trace did not start; stderr: %q", tool.Stderr())
	}
	in.Write([]byte("go\n"))
	in.Close()
	sh.Wait()
	status, exited := tool.Exited(wait)
	if !exited || status != 0 {
		t.Fatalf("trace did not stop with its process: exited %v status %d, stderr %q", exited, status, tool.Stderr())
	}
	var keys []string
	for _, l := range tool.Stdout() {
		if strings.HasPrefix(l, "@[") {
			keys = append(keys, l[:strings.Index(l, "]")+1])
		}
	}
	if len(keys) != 1 || keys[0] != "@["+pid+"]" {
		t.Errorf("map keys %v, want only @[%s]; output %q", keys, pid, tool.Stdout())
	}
}

// TestLivePIDUprobe: with -p, a uprobe's bare binary name is found among
// the files the process maps, and only that process's calls count.
func TestLivePIDUprobe(t *testing.T) {
	livetest.Require(t)
	bin := buildTarget(t)
	traced, other := exec.Command(bin, "3", "wait"), exec.Command(bin, "5", "wait")
	inTraced, inOther := waiting(t, traced), waiting(t, other)
	tool := livetest.Start(t, Applet, "-p", strconv.Itoa(traced.Process.Pid), "-e", `uprobe:target:main.probeboxTraced { @calls = count(); }`)
	if _, ok := tool.WaitStdout(t, wait, func(l string) bool { return strings.HasPrefix(l, "Attaching ") }); !ok {
		t.Fatalf("trace did not start; stderr: %q", tool.Stderr())
	}
	inOther.Close()
	if err := other.Wait(); err != nil {
		t.Fatal(err)
	}
	inTraced.Close()
	if err := traced.Wait(); err != nil {
		t.Fatal(err)
	}
	if _, exited := tool.Exited(wait); !exited {
		t.Fatal("trace did not stop with its process")
	}
	if out := strings.Join(tool.Stdout(), "\n") + "\n"; !strings.Contains(out, "\n@calls: 3\n") {
		t.Errorf("no @calls: 3 in\n%s", out)
	}
}

// TestLiveZeroKeepsKeys: zero() keeps keys with zero values, as bpftrace.
func TestLiveZeroKeepsKeys(t *testing.T) {
	sameAsBpftrace(t, `BEGIN { @c["a"] = count(); @h = hist(5); @h = hist(100); @s = sum(3); @n = 5; @a[1] = avg(4); @st = stats(3); @mx = max(3);
zero(@c); zero(@h); zero(@s); zero(@n); zero(@a); zero(@st); zero(@mx); exit(); }`)
}
