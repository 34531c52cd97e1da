package memleak

import (
	"bufio"
	"encoding/json"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/livetest"
)

func TestMain(m *testing.M) { livetest.Main(m) }

// wait bounds a broken setup only: under qemu without acceleration
// loading a tool can take over 10s.
const wait = 60 * time.Second

type summaryJSON struct {
	Stacks []struct {
		Bytes       uint64   `json:"bytes"`
		Allocations uint64   `json:"allocations"`
		Stack       []string `json:"stack"`
		Addresses   []struct {
			Addr string `json:"addr"`
			Size uint64 `json:"size"`
		} `json:"addresses"`
	} `json:"stacks"`
}

func start(t *testing.T, args ...string) *livetest.Tool {
	t.Helper()
	tool := livetest.Start(t, Applet, append([]string{"-v", "--json"}, args...)...)
	if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("did not start: %q", tool.Stderr())
	}
	return tool
}

// findStack waits for a summary with a stack that has a frame containing
// frame and at least n allocations, and returns it.
func findStack(t *testing.T, tool *livetest.Tool, frame string, n uint64) (bytes, allocs uint64, stack []string, addrs int) {
	t.Helper()
	if _, ok := tool.WaitStdout(t, wait, func(l string) bool {
		var s summaryJSON
		if json.Unmarshal([]byte(l), &s) != nil {
			return false
		}
		for _, st := range s.Stacks {
			if st.Allocations >= n && strings.Contains(strings.Join(st.Stack, " "), frame) {
				bytes, allocs, stack, addrs = st.Bytes, st.Allocations, st.Stack, len(st.Addresses)
				return true
			}
		}
		return false
	}); !ok {
		t.Fatalf("no stack through %s with %d allocations in %q; stderr %q", frame, n, tool.Stdout(), tool.Stderr())
	}
	return
}

// TestLiveKernelPipes: the test makes 100 pipes and keeps them open;
// kernel mode (-z/-Z around the 1 KiB slot their buffer arrays take)
// shows them outstanding from a stack through the pipe code.
func TestLiveKernelPipes(t *testing.T) {
	livetest.Require(t)
	tool := start(t, "-z", "512", "-Z", "2048", "-T", "50", "1")
	const pipes = 100
	var fds []int
	t.Cleanup(func() {
		for _, fd := range fds {
			unix.Close(fd)
		}
	})
	for i := 0; i < pipes; i++ {
		var p [2]int
		if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
			t.Fatal(err)
		}
		fds = append(fds, p[0], p[1])
	}
	bytes, allocs, stack, _ := findStack(t, tool, "pipe", pipes)
	if bytes < allocs*512 {
		t.Errorf("%d bytes in %d allocations: below the -z 512 floor", bytes, allocs)
	}
	t.Logf("%d bytes in %d allocations from %q", bytes, allocs, stack)
	if status := tool.Stop(); status != 0 {
		t.Fatalf("status %d: %q", status, tool.Stderr())
	}
}

// TestLiveUserLeak: a C helper (testdata/leaky.c, built now or
// beforehand: the kernel matrix's guests have no compiler) mallocs 50 x
// 4000 bytes without freeing from pbx_leaky and 100 more that it frees;
// memleak -p -a shows exactly the 50 from pbx_leaky and none from
// pbx_tidy.
func TestLiveUserLeak(t *testing.T) {
	livetest.Require(t)
	bin := livetest.CProgram(t, "testdata/leaky.c")
	cmd := exec.Command(bin)
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close(); cmd.Process.Kill(); cmd.Wait() })
	// "ready": the loader has mapped libc, which memleak -p probes.
	lines := bufio.NewReader(out)
	if l, err := lines.ReadString('\n'); l != "ready\n" {
		t.Fatalf("helper said %q: %v", l, err)
	}
	tool := start(t, "-a", "-p", strconv.Itoa(cmd.Process.Pid), "1")
	in.Write([]byte("x"))
	if l, err := lines.ReadString('\n'); l != "done\n" {
		t.Fatalf("helper said %q: %v", l, err)
	}
	bytes, allocs, stack, addrs := findStack(t, tool, "pbx_leaky", 1)
	if bytes != 50*4000 || allocs != 50 || addrs != 50 || !strings.HasPrefix(stack[0], "pbx_leaky+0x") {
		t.Errorf("%d bytes in %d allocations (%d addresses) from %q; want 200000 in 50 from pbx_leaky", bytes, allocs, addrs, stack)
	}
	for _, l := range tool.Stdout() {
		if strings.Contains(l, "pbx_tidy") {
			t.Errorf("freed allocations reported: %s", l)
		}
	}
	if status := tool.Stop(); status != 0 {
		t.Fatalf("status %d: %q", status, tool.Stderr())
	}
}
