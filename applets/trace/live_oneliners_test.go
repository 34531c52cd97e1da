package trace

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/tracefs"
)

// The bpftrace one-liner tutorial's programs, as written there, with the
// answers they must give for events these tests cause. (Lessons needing
// kprobes are in TestKprobeOneLinersExplain: this host has none.)

func TestLiveTutorialHello(t *testing.T) {
	sameAsBpftrace(t, `BEGIN { printf("hello world\n"); exit(); }`)
}

func TestLiveTutorialOpens(t *testing.T) {
	file := filepath.Join(t.TempDir(), "pbx-tutorial-open")
	os.WriteFile(file, []byte("x"), 0o644)
	tool := startTrace(t, `tracepoint:syscalls:sys_enter_openat { printf("%s %s\n", comm, str(args.filename)); }`)
	livetest.Helper(t, "pbxopen", "open", file).Run()
	if _, ok := tool.WaitStdout(t, wait, func(l string) bool { return l == "pbxopen "+file }); !ok {
		t.Errorf("no line %q", "pbxopen "+file)
	}
}

func TestLiveTutorialSyscallsByProcess(t *testing.T) {
	tool := startTrace(t, `tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }`)
	livetest.Helper(t, "pbxsyscalls", "read", "1", "500").Run()
	time.Sleep(200 * time.Millisecond)
	out := stopAndOutput(t, tool)
	m := regexp.MustCompile(`\n@\[pbxsyscalls\]: (\d+)\n`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no @[pbxsyscalls] in\n%s", out)
	}
	if n, _ := strconv.Atoi(m[1]); n < 500 {
		t.Errorf("@[pbxsyscalls]: %d, want at least its 500 reads", n)
	}
}

// TestLiveTutorialReadSizes: /pid == N/ and hist(args.ret) on a shell
// whose read builtin reads its line one byte at a time.
func TestLiveTutorialReadSizes(t *testing.T) {
	sh := exec.Command("/bin/sh", "-c", "read x; exit 0")
	in := waiting(t, sh)
	// Its start-up reads (ld.so's of libc) must be over: wait until it
	// sits in read() on its stdin.
	waitInRead(t, sh.Process.Pid)
	tool := startTrace(t, `tracepoint:syscalls:sys_exit_read /pid == `+strconv.Itoa(sh.Process.Pid)+`/ { @bytes = hist(args.ret); }`)
	in.Write([]byte("hello\n"))
	in.Close()
	sh.Wait()
	time.Sleep(200 * time.Millisecond)
	out := stopAndOutput(t, tool)
	want := "\n\n@bytes: \n[1]                    6 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n\n"
	if !strings.HasSuffix(out, want) {
		t.Errorf("want the end\n%q\nin\n%q", want, out)
	}
}

// waitInRead waits until process pid is blocked reading its stdin: in
// read(2), or in poll(2)/ppoll(2) first as busybox's sh does.
func waitInRead(t *testing.T, pid int) {
	t.Helper()
	nrs := map[string][]string{"amd64": {"0", "7", "271"}, "arm64": {"63", "73"}}[runtime.GOARCH]
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		b, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/syscall")
		if f := strings.Fields(string(b)); len(f) > 0 && slices.Contains(nrs, f[0]) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("process %d never blocked in read()", pid)
}

func TestLiveTutorialSchedProbes(t *testing.T) {
	livetest.Require(t)
	dir, err := tracefs.Dir()
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := filepath.Glob(filepath.Join(dir, "events/sched/sched*/format"))
	tool := livetest.Start(t, Applet, "-e", `tracepoint:sched:sched* { @[probe] = count(); } interval:s:1 { exit(); }`)
	if status, exited := tool.Exited(wait); !exited || status != 0 {
		t.Fatalf("exited %v, status %d, stderr %q", exited, status, tool.Stderr())
	}
	out := tool.Stdout()
	if want := "Attaching " + strconv.Itoa(len(entries)+1) + " probes..."; out[0] != want {
		t.Errorf("first line %q, want %q", out[0], want)
	}
	keys := regexp.MustCompile(`^@\[tracepoint:sched:sched_\w+\]: \d+$`)
	switchSeen := false
	for _, l := range out[1:] {
		if l == "" {
			continue
		}
		if !keys.MatchString(l) {
			t.Errorf("unexpected line %q", l)
		}
		switchSeen = switchSeen || strings.HasPrefix(l, "@[tracepoint:sched:sched_switch]: ")
	}
	if !switchSeen {
		t.Errorf("no sched_switch count in %q", out)
	}
}

// stackFrame is a symbolized frame line of a kernel stack printed as a
// map key (bpftrace 0.17 indents those by four spaces).
var stackFrame = regexp.MustCompile(`(?m)^    [\w.]+\+\d+$`)

func TestLiveTutorialProfile(t *testing.T) {
	tool := startTrace(t, `profile:hz:99 { @[kstack] = count(); }`)
	// Work in the kernel meanwhile (clearing pages for reads of
	// /dev/zero): a machine busy in user space otherwise gives only
	// empty kernel stacks.
	zero, err := os.Open("/dev/zero")
	if err != nil {
		t.Fatal(err)
	}
	defer zero.Close()
	buf := make([]byte, 1<<20)
	for end := time.Now().Add(500 * time.Millisecond); time.Now().Before(end); {
		zero.Read(buf)
	}
	out := stopAndOutput(t, tool)
	if !strings.Contains(out, "\n@[\n") || !stackFrame.MatchString(out) {
		t.Errorf("no kernel stacks sampled in\n%s", out)
	}
}

func TestLiveTutorialSwitchStacks(t *testing.T) {
	tool := startTrace(t, `tracepoint:sched:sched_switch { @[kstack] = count(); }`)
	time.Sleep(200 * time.Millisecond)
	out := stopAndOutput(t, tool)
	if !regexp.MustCompile(`(?m)^    __schedule\+\d+$`).MatchString(out) {
		t.Errorf("no stack through __schedule in\n%s", out)
	}
}

// TestLiveTutorialBlockIO: direct 64 KiB writes to a loop device give block
// requests of that size.
func TestLiveTutorialBlockIO(t *testing.T) {
	loop := livetest.LoopDevice(t, 1<<20)
	tool := startTrace(t, `tracepoint:block:block_rq_issue { @ = hist(args.bytes); }`)
	for i := range 4 {
		loop.WriteDirect(t, int64(i)<<16, 64<<10)
	}
	time.Sleep(200 * time.Millisecond)
	out := stopAndOutput(t, tool)
	if !regexp.MustCompile(`\n\[64K, 128K\) +\d+ \|@*`).MatchString(out) || !strings.Contains(out, "\n@: \n") {
		t.Errorf("no 64K requests in\n%s", out)
	}
}
