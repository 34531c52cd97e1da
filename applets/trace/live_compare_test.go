package trace

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
)

// buildTarget builds testdata/target, the uprobe tests' traced program,
// or returns $PROBEBOX_TEST_TARGET, the same program built beforehand
// and also named target (the kernel matrix's guest has no Go toolchain).
func buildTarget(t *testing.T) string {
	t.Helper()
	if prebuilt := os.Getenv("PROBEBOX_TEST_TARGET"); prebuilt != "" {
		return prebuilt
	}
	livetest.NeedGo(t)
	bin := filepath.Join(t.TempDir(), "target")
	build := exec.Command("go", "build", "-o", bin, "./testdata/target")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// exitTrigger is the process group getpgid() is asked for to end a
// comparison: no PID is that large, so only the test's own call matches.
const exitTrigger = 999999999

// bothSee runs program under bpftrace and under trace at the same time,
// lets cause make the events, ends both, and returns each one's output
// after a "ready" line that a BEGIN probe prints: bpftrace prints
// "Attaching" before it attaches, but runs BEGIN after.
//
// Both end by the program's own exit(), which a probe on the test's
// getpgid(exitTrigger) calls, not by SIGINT: bpftrace 0.17 has been seen
// not to end after SIGINT under load. Should it not end by itself
// either, it gets SIGINT, then SIGKILL, and what it printed by then is
// compared all the same.
func bothSee(t *testing.T, program string, cause func()) (ours, theirs string) {
	t.Helper()
	livetest.Require(t)
	bt, err := exec.LookPath("bpftrace")
	if err != nil {
		t.Skip("bpftrace is not installed: nothing to compare with")
	}
	program = `BEGIN { printf("ready\n"); } ` + program +
		fmt.Sprintf(` tracepoint:syscalls:sys_enter_getpgid /pid == %d && args->pid == %d/ { exit(); }`, os.Getpid(), exitTrigger)
	cmd := exec.Command(bt, "-B", "line", "-e", program)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := make(chan string, 1000)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	timeout := time.After(wait)
	for ready := false; !ready; {
		select {
		case l := <-lines:
			ready = l == "ready"
		case <-timeout:
			t.Fatal("bpftrace did not start")
		}
	}
	tool := startTrace(t, program)
	if _, ok := tool.WaitStdout(t, wait, func(l string) bool { return l == "ready" }); !ok {
		t.Fatal("trace did not run BEGIN")
	}
	cause()
	time.Sleep(300 * time.Millisecond)
	syscall.Getpgid(exitTrigger)
	if status, exited := tool.Exited(wait); !exited || status != 0 {
		t.Fatalf("trace did not end by exit(): exited %v, status %d, stderr %q", exited, status, tool.Stderr())
	}
	ours = strings.Join(tool.Stdout(), "\n") + "\n"
	ours = ours[strings.Index(ours, "ready\n")+len("ready\n"):]
	return ours, collectPeer(t, cmd, lines)
}

// seeComparing runs program under trace while cause makes its events
// and returns trace's output; where bpftrace is installed both run (as
// bothSee) and must print the same. Tests that also check the output as
// written use it: they run in the guests, which have no bpftrace.
func seeComparing(t *testing.T, program string, cause func()) string {
	t.Helper()
	if _, err := exec.LookPath("bpftrace"); err != nil {
		tool := startTrace(t, program)
		cause()
		time.Sleep(300 * time.Millisecond)
		// As bothSee's: what follows the "Attaching N probes..." line.
		out := stopAndOutput(t, tool)
		if strings.HasPrefix(out, "Attaching ") {
			_, out, _ = strings.Cut(out, "\n")
		}
		return out
	}
	ours, theirs := bothSee(t, program, cause)
	if ours != theirs {
		t.Errorf("probebox trace:\n%s\nbpftrace:\n%s", ours, theirs)
	}
	return ours
}

// collectPeer reads what bpftrace prints until it ends; one that does
// not end gets SIGINT, then SIGKILL, each after a grace period.
func collectPeer(t *testing.T, cmd *exec.Cmd, lines <-chan string) string {
	var b strings.Builder
	grace := time.After(wait)
	for stage := 0; ; {
		select {
		case l, ok := <-lines:
			if !ok {
				cmd.Wait()
				return b.String()
			}
			b.WriteString(l + "\n")
		case <-grace:
			stage++
			if stage == 1 {
				t.Logf("bpftrace did not end after exit(): sending SIGINT")
				cmd.Process.Signal(syscall.SIGINT)
				grace = time.After(5 * time.Second)
				continue
			}
			t.Logf("bpftrace did not end after SIGINT either: killed, comparing what it printed")
			cmd.Process.Kill()
			grace = nil // the pipe closes once it is gone
		}
	}
}

// TestLiveNtopSameAsBpftrace: ntop() of tracepoint u8[4] and u8[16]
// fields, with and without a family, on loopback TCP connections.
func TestLiveNtopSameAsBpftrace(t *testing.T) {
	var ports []string
	var listeners []net.Listener
	for _, addr := range []string{"127.0.0.1:0", "[::1]:0"} {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		listeners = append(listeners, ln)
		_, port, _ := net.SplitHostPort(ln.Addr().String())
		ports = append(ports, port)
	}
	program := `tracepoint:sock:inet_sock_set_state /args->dport == ` + ports[0] + ` || args->dport == ` + ports[1] + `/ {
	printf("%s %s %d %s %s|%s\n", ntop(args->saddr), ntop(args->daddr), args->dport, ntop(args->saddr_v6), ntop(args->family, args->daddr_v6), ntop(2, args->daddr)); }`
	ours, theirs := bothSee(t, program, func() {
		for _, ln := range listeners {
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			s, err := ln.Accept()
			if err != nil {
				t.Fatal(err)
			}
			c.Close()
			s.Close()
		}
	})
	if !strings.Contains(ours, "127.0.0.1 127.0.0.1 "+ports[0]+" ::ffff:127.0.0.1 0.0.0.0|127.0.0.1\n") ||
		!strings.Contains(ours, " "+ports[1]+" ::1 ::1|") {
		t.Errorf("no IPv4 and IPv6 connection lines in\n%s", ours)
	}
	if ours != theirs {
		t.Errorf("probebox trace:\n%s\nbpftrace:\n%s", ours, theirs)
	}
}

// TestLiveUsymSameAsBpftrace: usym(reg("ip")) in a uprobe names the
// function, in printf and as a map key.
func TestLiveUsymSameAsBpftrace(t *testing.T) {
	bin := buildTarget(t)
	target := exec.Command(bin, "3", "wait")
	in := waiting(t, target)
	program := `uprobe:` + bin + `:main.probeboxTraced { printf("%s\n", usym(reg("ip"))); @[usym(reg("ip"))] = count(); }`
	ours, theirs := bothSee(t, program, func() { in.Write([]byte("go\n")) })
	in.Close()
	target.Wait()
	want := strings.Repeat("main.probeboxTraced\n", 3) + "\n\n@[main.probeboxTraced]: 3\n"
	if ours != want {
		t.Errorf("probebox trace:\n%q\nwant:\n%q", ours, want)
	}
	if ours != theirs {
		t.Errorf("probebox trace:\n%s\nbpftrace:\n%s", ours, theirs)
	}
}

// TestLiveKsymSameAsBpftrace: ksym() of kaddr() addresses, bare names in
// printf and map keys, and "0" for null.
func TestLiveKsymSameAsBpftrace(t *testing.T) {
	sameAsBpftrace(t, `BEGIN { printf("%s|%s|%s|%s\n", ksym(kaddr("vfs_read")), ksym(kaddr("vfs_read") + 5), ksym(0), ntop(0x0100007f));
@[ksym(kaddr("vfs_write") + 1)] = count(); @n[ntop(2, 0x0200007f)] = count(); exit(); }`)
}

// TestLiveBTFSameAsBpftrace: struct members through curtask and casts.
func TestLiveBTFSameAsBpftrace(t *testing.T) {
	sameAsBpftrace(t, `BEGIN { printf("%d %d %d %d %d %d\n", curtask->tgid == pid, curtask->pid == tid,
((struct task_struct *)curtask)->real_parent->tgid > 1, curtask->se.vruntime > 0, (uint8)257, (int16)65535);
@x = (uint32)-1; @c = curtask->real_parent->real_parent->tgid > 0; exit(); }`)
}

// TestLiveEmptyMapsSameAsBpftrace: maps that never fired, or were cleared
// or deleted, print as bpftrace prints them.
func TestLiveEmptyMapsSameAsBpftrace(t *testing.T) {
	never := `BEGIN { exit(); } tracepoint:syscalls:sys_enter_nanosleep /pid == 0/ { %s }`
	for _, prog := range []string{
		fmt.Sprintf(never, `@x = count(); @y = sum(1); @z = avg(1); @s = stats(1);`),
		fmt.Sprintf(never, `@k[pid] = count(); @h = hist(1); @l[1] = lhist(1, 0, 10, 1); @v = 5; @a[1] = avg(1);`),
		`BEGIN { @x = count(); clear(@x); @y[1] = count(); clear(@y); @z = sum(3); delete(@z); @h = hist(3); clear(@h); exit(); }`,
	} {
		t.Run("", func(t *testing.T) { sameAsBpftrace(t, prog) })
	}
}
