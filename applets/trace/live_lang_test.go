package trace

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/probebox/probebox/core/livetest"
)

// One-liners of the language's features, each compared with Debian's
// bpftrace: same program, same output.

// TestLivePreprocessorSameAsBpftrace: the shebang, a libc header's
// constants, a kernel header satisfied from BTF, #define, #ifndef/#else
// on BPFTRACE_HAVE_BTF, and a struct defined in the program read through
// a cast and laid out as C does (its size; its members read through a
// null pointer are zeros in both).
func TestLivePreprocessorSameAsBpftrace(t *testing.T) {
	sameAsBpftrace(t, `#!/usr/bin/env bpftrace
#include <sys/socket.h>
#include <linux/types.h>
#define NAME_LEN 5
#define TWICE (NAME_LEN * 2)
#ifndef BPFTRACE_HAVE_BTF
#define WHICH 1
#else
#define WHICH 2
struct banner { char a[NAME_LEN]; char b[8]; int c; struct banner *next; unsigned short d; };
#endif
BEGIN { $p = (struct banner *)0; printf("%d %d %d %d %d %d\n", sizeof(struct banner), $p->c, $p->d, $p->next != 0, TWICE + AF_INET6, WHICH); exit(); }`)
}

// sameAsBpftraceParams runs program with positional parameters under
// both and compares what they print.
func sameAsBpftraceParams(t *testing.T, program string, params ...string) {
	t.Helper()
	livetest.Require(t)
	bt, err := exec.LookPath("bpftrace")
	if err != nil {
		t.Skip("bpftrace is not installed: nothing to compare with")
	}
	want, err := exec.Command(bt, append([]string{"-e", program}, params...)...).Output()
	if err != nil {
		t.Fatalf("bpftrace: %v", err)
	}
	tool := livetest.Start(t, Applet, append([]string{"-e", program}, params...)...)
	if _, exited := tool.Exited(wait); !exited {
		t.Fatal("trace did not exit")
	}
	if got := strings.Join(tool.Stdout(), "\n") + "\n"; got != string(want) {
		t.Errorf("probebox trace:\n%q\nbpftrace:\n%q\nstderr: %q", got, want, tool.Stderr())
	}
}

// TestLiveLoopsAndParamsSameAsBpftrace: while with break and continue,
// unroll, ++ += -= on maps and variables, float-looking integers,
// positional parameters ($N, $#, str($N), a missing one), str(s, n).
func TestLiveLoopsAndParamsSameAsBpftrace(t *testing.T) {
	sameAsBpftraceParams(t, `BEGIN {
	$i = 0; $s = 0;
	while ($i < 10) { $i++; if ($i == 3) { continue; } if ($i > 7) { break; } $s += $i; }
	unroll(3) { @u++; }
	@x = 5; @x += 2; @x -= 1;
	if ($1 > 100) { printf("big\n"); } else if ($1 > 10) { printf("medium\n"); } else { printf("small\n"); }
	printf("%d %d %d %d %d [%s] [%s] [%s] [%s]\n", $i, $s, 1e3, $#, $1 + $4, str($2), str($2, 2), str($3), str($5));
	exit(); }`, "0x10", "hello", "", "7")
}

// TestLiveOutputFunctionsSameAsBpftrace: print(value), print(@, top,
// div), time() and strftime() at a granularity both runs share,
// strncmp(), sizeof(), and str(s, n) on a kernel string.
func TestLiveOutputFunctionsSameAsBpftrace(t *testing.T) {
	sameAsBpftrace(t, `BEGIN { print(5); print("abc"); print(ksym(kaddr("vfs_read")));
	time("%Y-%m\n"); printf("%s|\n", strftime("%Y", nsecs)); @s = strftime("%Y", nsecs);
	@x[1] = 5; @x[2] = 7; @x[3] = 30; @x[4] = 2; print(@x, 2); print(@x, 2, 10); print(@x, 0, 3);
	@h = hist(100); @h = hist(3000); print(@h, 1);
	printf("%d %d %d %d\n", strncmp("abc", "abd", 2), strncmp("abc", "abd", 3), strncmp("bpf", "bpftrace", 3), strncmp("a", "a", 10));
	printf("%d %d %d\n", sizeof(struct task_struct) > 100, sizeof(int32), sizeof(uint8));
	printf("%s|%s|\n", str($1, 3), str($1, 1));
	exit(); }`)
}

// TestLiveJoinSameAsBpftrace: join() of a process's argv, with the
// default and a given delimiter.
func TestLiveJoinSameAsBpftrace(t *testing.T) {
	echo, err := exec.LookPath("echo")
	if err != nil {
		t.Skip("no echo to run")
	}
	program := `tracepoint:syscalls:sys_enter_execve /str(args->filename) == "` + echo + `"/ { join(args->argv); join(args->argv, ","); }`
	ours, theirs := bothSee(t, program, func() {
		exec.Command(echo, "pbxjoin", "one", "two three", "").Run()
	})
	want := echo + " pbxjoin one two three\n" + echo + ",pbxjoin,one,two three\n"
	if !strings.HasPrefix(ours, want) {
		t.Errorf("probebox trace:\n%q\nwant it to start with:\n%q", ours, want)
	}
	if ours != theirs {
		t.Errorf("probebox trace:\n%s\nbpftrace:\n%s", ours, theirs)
	}
}

// TestLiveJSONSameAsBpftrace: -f json in bpftrace's shape, for printf,
// time, print(value) and every kind of map.
func TestLiveJSONSameAsBpftrace(t *testing.T) {
	sameAsBpftrace(t, `BEGIN { printf("hi %d \"q\"\n", 5); @c[1, "a"] = count(); @s = sum(3); @h = hist(5); @h = hist(100); @h = hist(-1);
	@k[2] = hist(0); @l = lhist(3, 0, 10, 5); @l = lhist(-3, 0, 10, 5); @l = lhist(30, 0, 10, 5); @a = avg(4); @st = stats(6); @str = "x";
	time("%Y\n"); print(7); print("v"); print(@c); exit(); }`, "-f", "json")
}

// TestLiveOutputFile: -o FILE holds what stdout would, byte for byte
// what bpftrace prints.
func TestLiveOutputFile(t *testing.T) {
	livetest.Require(t)
	bt, err := exec.LookPath("bpftrace")
	if err != nil {
		t.Skip("bpftrace is not installed: nothing to compare with")
	}
	program := `BEGIN { printf("to a file\n"); @x[1] = 2; exit(); }`
	want, err := exec.Command(bt, "-e", program).Output()
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	tool := livetest.Start(t, Applet, "-o", out, "-B", "full", "-e", program)
	if status, exited := tool.Exited(wait); !exited || status != 0 {
		t.Fatalf("trace: %d %v %q", status, exited, tool.Stderr())
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) || len(tool.Stdout()) != 0 {
		t.Errorf("file:\n%q\nbpftrace:\n%q\nstdout: %q", got, want, tool.Stdout())
	}
}

// TestLiveUnsafeSameAsBpftrace: system() and cat() run with --unsafe.
func TestLiveUnsafeSameAsBpftrace(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh for system()")
	}
	sameAsBpftrace(t, `BEGIN { system("echo sys %d %s", 42, "x"); cat("/proc/sys/kernel/ostype"); printf("after\n"); exit(); }`, "--unsafe")
}

// TestLiveSignal: signal() with --unsafe kills the reading process.
func TestLiveSignal(t *testing.T) {
	livetest.Require(t)
	tool := livetest.Start(t, Applet, "--unsafe", "-e", `tracepoint:syscalls:sys_enter_read /comm == "pbxsignal"/ { signal("SIGKILL"); }`)
	if _, ok := tool.WaitStdout(t, wait, func(l string) bool { return strings.HasPrefix(l, "Attaching ") }); !ok {
		t.Fatalf("did not start: %q", tool.Stderr())
	}
	err := livetest.Helper(t, "pbxsignal", "read", "1", "100000000").Run()
	tool.Stop()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Errorf("the reader ended with %v, want SIGKILL", err)
	}
}

// TestLiveCgroupidSameAsBpftrace: cgroupid() of a cgroup v2 directory
// the test makes, and of the root.
func TestLiveCgroupidSameAsBpftrace(t *testing.T) {
	livetest.Require(t)
	dir := livetest.Cgroup(t, "pbxcgroupid")
	root := filepath.Dir(dir)
	for filepath.Dir(root) != root && isCgroup2(filepath.Dir(root)) {
		root = filepath.Dir(root)
	}
	sameAsBpftrace(t, `BEGIN { printf("%ld %ld\n", cgroupid("`+dir+`"), cgroupid("`+root+`")); exit(); }`)
}

func isCgroup2(dir string) bool {
	var fs syscall.Statfs_t
	return syscall.Statfs(dir, &fs) == nil && fs.Type == 0x63677270
}

// TestLiveMacaddrSameAsBpftrace: macaddr() of six kernel bytes, printed
// and as a map key.
func TestLiveMacaddrSameAsBpftrace(t *testing.T) {
	sameAsBpftrace(t, `BEGIN { printf("%s\n", macaddr(kaddr("vfs_read"))); @m[macaddr(kaddr("vfs_read") + 2)] = count(); exit(); }`)
}

// TestLiveTuplesSameAsBpftrace: tuples in variables, map values and
// print(), nested, read by element, widened by a longer string, as text
// and as -f json; a struct definition without its ';'.
func TestLiveTuplesSameAsBpftrace(t *testing.T) {
	program := `struct pair { int a; char b[8]; }
BEGIN { $t = (1, "a\"b", -7); print($t); @m = (2, "b"); @n[1, "k"] = ((3, "z"), ntop(0x0100007f)); print((sizeof(struct pair), "x"));
printf("%d %s %d %s %s\n", $t.0, $t.1, @m.0, @n[1, "k"].0.1, @n[1, "k"].1);
$w = (1, "a"); $w = (2, "abc"); print($w); @w = (1, "a"); @w = (2, "abcdef"); exit(); }`
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) { sameAsBpftrace(t, program, "-f", format) })
	}
}

// TestLiveHasKeyLen: has_key() and len() (bpftrace 0.18+ and 0.21+;
// Debian's 0.17 has neither, so the output is checked as written):
// len() counts keys with bpf_for_each_map_elem and a callback, which
// the kernel takes only with BTF for every function.
func TestLiveHasKeyLen(t *testing.T) {
	livetest.Require(t)
	program := `BEGIN { @a[1] = 1; @a[5] = 2; @b[1, "x"] = 3; @c[7] = count();
printf("%d %d %d %d %d %d %d\n", has_key(@a, 1), has_key(@a, 2), has_key(@b, (1, "x")), has_key(@b, (1, "y")), len(@a), len(@b), len(@c));
delete(@a[1]); printf("%d %d\n", has_key(@a, 1), len(@a)); clear(@a); exit(); }`
	tool := livetest.Start(t, Applet, "-e", program)
	if status, exited := tool.Exited(wait); !exited || status != 0 {
		t.Fatalf("trace: exited %v, status %d, stderr %q", exited, status, tool.Stderr())
	}
	want := "Attaching 1 probe...\n1 0 1 0 2 1 1\n0 1\n"
	if got := strings.Join(tool.Stdout(), "\n") + "\n"; !strings.HasPrefix(got, want) {
		t.Errorf("got:\n%s\nwant it to start with:\n%s", got, want)
	}
}

// TestLiveMoreBuiltinsSameAsBpftrace: every compound assignment on
// variables and maps, username, strerror() (the C library's messages)
// and kptr()/uptr(), in printf, print() and maps.
func TestLiveMoreBuiltinsSameAsBpftrace(t *testing.T) {
	sameAsBpftrace(t, `BEGIN { $x = 5; $x *= 3; $x /= 2; $x %= 4; $x <<= 3; $x >>= 1; $x &= 0xff; $x |= 0x100; $x ^= 1; $x--;
	@y = 7; @y <<= 2; @y |= 1; @y -= 3; @y--; printf("%d\n", $x);
	printf("%s %s %s|%s\n", username, strerror(2), strerror(11), strerror(9999)); @u[username] = count(); @e = strerror(13);
	print(strerror(1)); print(username); printf("%d %d\n", kptr(0), uptr(5)); exit(); }`)
}

// TestLiveStackArgs: sargN reads the Nth argument passed on the stack
// (x86-64: from the seventh; arm64: from the ninth) in a uprobe of a C
// program; numaid and rand are integers of their own. Next to bpftrace
// the outputs are compared whole.
func TestLiveStackArgs(t *testing.T) {
	livetest.Require(t)
	bin := livetest.CProgram(t, "testdata/stackargs.c")
	target := exec.Command(bin)
	in := waiting(t, target)
	first := 2 // x86-64: a..f in registers, g and h the first two on the stack
	if runtime.GOARCH == "arm64" {
		first = 0
	}
	program := fmt.Sprintf(`uprobe:%s:many /pid == %d/ { printf("%%d %%d %%d\n", sarg%d, sarg%d, numaid >= 0 && rand >= 0); }`, bin, target.Process.Pid, first, first+1)
	cause := func() {
		in.Write([]byte("go\n"))
		in.Close()
		target.Wait()
	}
	ours := seeComparing(t, program, cause)
	if want := "900 1000 1\n901 1001 1\n902 1002 1\n"; !strings.HasPrefix(ours, want) {
		t.Errorf("got:\n%s\nwant it to start with:\n%s", ours, want)
	}
}

// TestLivePointersSameAsBpftrace: x[i] and pointer arithmetic count
// elements, as in C and bpftrace: args->argv[1] of execve (a const char
// *const *), *(args->argv + 2), args->filename's sixth character.
func TestLivePointersSameAsBpftrace(t *testing.T) {
	program := `tracepoint:syscalls:sys_enter_execve /str(args->argv[1]) == "pbx-marker-1"/ {
	printf("%s %s %s %c %c\n", str(args->argv[0]), str(args->argv[1]), str(*(args->argv + 2)), *(args->filename + 5), args->filename[1]); }`
	cause := func() {
		if err := exec.Command("/bin/echo", "pbx-marker-1", "second").Run(); err != nil {
			t.Errorf("echo: %v", err)
		}
	}
	ours := seeComparing(t, program, cause)
	if want := "/bin/echo pbx-marker-1 second e b\n"; !strings.HasPrefix(ours, want) {
		t.Errorf("got:\n%s\nwant it to start with:\n%s", ours, want)
	}
}

// TestLivePtonIndexSameAsBpftrace: pton()'s addresses, as written and
// held in variables, indexed and given to ntop().
func TestLivePtonIndexSameAsBpftrace(t *testing.T) {
	sameAsBpftrace(t, `BEGIN { $a = pton("127.0.0.1"); $b = pton("::1");
	printf("%d %d %d %d %s %s %s\n", $a[0], $a[3], $b[15], pton("10.1.2.3")[2], ntop($a), ntop($b), ntop(pton("fe80::2"))); exit(); }`)
}

// TestLiveArrayMemberSameAsBpftrace: elements of a kernel struct's
// array of numbers (task_struct's numa_faults_locality) of the test's
// own process; a char array is a string, which cannot be indexed.
func TestLiveArrayMemberSameAsBpftrace(t *testing.T) {
	program := fmt.Sprintf(`tracepoint:syscalls:sys_enter_getppid /pid == %d/ { printf("%%d %%d\n", curtask->numa_faults_locality[0], curtask->numa_faults_locality[2]); }`, os.Getpid())
	ours := seeComparing(t, program, func() { syscall.Getppid() })
	var a, b int64
	if n, err := fmt.Sscanf(ours, "%d %d\n", &a, &b); n != 2 || err != nil {
		t.Errorf("not two numbers: %q (%v)", ours, err)
	}
	tool := livetest.Start(t, Applet, "-e", `BEGIN { printf("%c\n", curtask->comm[0]); exit(); }`)
	if status, _ := tool.Exited(wait); status == 0 || !strings.Contains(strings.Join(tool.Stderr(), "\n"), "cannot be indexed") {
		t.Errorf("comm[0]: status %d, stderr %q; want a refusal", status, tool.Stderr())
	}
}
