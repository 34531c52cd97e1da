package trace

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/applets/trace/lang"
	"github.com/probebox/probebox/core/livetest"
)

const wait = 15 * time.Second

// TestLiveCorpusLoads: every valid corpus program passes the kernel's
// verifier.
func TestLiveCorpusLoads(t *testing.T) {
	livetest.Require(t)
	files, _ := filepath.Glob("lang/testdata/corpus/*.bt")
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".bt")
		// path() is bpf_d_path(), skboutput() bpf_skb_output(), both
		// refused outside fentry programs, which this test turns into
		// kprobes: TestLivePath and TestLiveSkbOutput load them where the
		// kernel has fentry.
		if strings.HasPrefix(name, "err_") || name == "path_kfunc" || name == "skboutput" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			src, _ := os.ReadFile(path)
			pp, err := lang.Preprocess(name, string(src), lang.PreprocessOptions{HaveBTF: true, IncludeDirs: []string{"lang/testdata/include"}})
			if err != nil {
				t.Fatal(err)
			}
			prog, err := lang.Parse(name, pp.Text)
			if err != nil {
				t.Fatal(err)
			}
			prog.Structs = append(pp.Structs, prog.Structs...)
			c, err := lang.Compile(prog, loadOnlyEnv{newKernelEnv()}, lang.Options{Arch: runtime.GOARCH})
			if err != nil {
				t.Fatal(err)
			}
			coll, err := load(c)
			if err != nil {
				t.Fatal(err)
			}
			coll.Close()
		})
	}
}

// loadOnlyEnv is the running kernel for tests that load programs without
// attaching them: kprobe programs load wherever BPF tracing does, so the
// fentry and kprobe corpus programs (kprobe in fentry's place) reach the
// verifier, typed by the real kernel's BTF, even here.
type loadOnlyEnv struct{ *kernelEnv }

// HasFunction: a stripped binary's function is still a program to load.
func (loadOnlyEnv) HasFunction(binary, name string) (bool, error) { return true, nil }

// KernelFunction: a program for a function this kernel lacks still loads.
func (loadOnlyEnv) KernelFunction(name string) (string, error) { return name, nil }

// USDTSites: the corpus's USDT program loads with sites like a real
// binary's.
func (e loadOnlyEnv) USDTSites(binary string) ([]lang.USDTSite, error) {
	return []lang.USDTSite{{Provider: "pbx", Name: "tick", Offset: 0x1000, Args: "-4@%edi 8@-16(%rbp) 8@%rax -2@$7"}}, nil
}

func (loadOnlyEnv) HookAvailable(kind string) error {
	if kind == "kprobe" || kind == "kretprobe" {
		return nil
	}
	return fmt.Errorf("not in load-only tests")
}

// UserSymbol answers the corpus's uaddr("fake_counter"), which /bin/sh
// (position independent) cannot: a load does not care where it points.
func (e loadOnlyEnv) UserSymbol(binary, name string) (uint64, uint64, error) {
	if name == "fake_counter" {
		return 0x4c1000, 4, nil
	}
	return e.kernelEnv.UserSymbol(binary, name)
}

// startTrace runs trace -e PROGRAM and waits until it has attached.
func startTrace(t *testing.T, program string) *livetest.Tool {
	t.Helper()
	livetest.Require(t)
	tool := livetest.Start(t, Applet, "-e", program)
	if _, ok := tool.WaitStdout(t, wait, func(l string) bool { return strings.HasPrefix(l, "Attaching ") }); !ok {
		t.Fatalf("trace did not start; stderr: %q", tool.Stderr())
	}
	return tool
}

func stopAndOutput(t *testing.T, tool *livetest.Tool) string {
	t.Helper()
	if status := tool.Stop(); status != 0 {
		t.Fatalf("status %d, stderr %q", status, tool.Stderr())
	}
	return strings.Join(tool.Stdout(), "\n") + "\n"
}

func TestLiveCountByComm(t *testing.T) {
	// A name of its own: other tests on the machine run /bin/true too;
	// counting main threads only, as the helper is a Go program.
	tool := startTrace(t, `tracepoint:sched:sched_process_exit /tid == pid/ { @counter[args->comm] = count(); }`)
	for range 3 {
		livetest.Helper(t, "pbxexiting", "open").Run()
	}
	time.Sleep(200 * time.Millisecond)
	if out := stopAndOutput(t, tool); !strings.Contains(out, "\n@counter[pbxexiting]: 3\n") {
		t.Errorf("no @counter[pbxexiting]: 3 in\n%s", out)
	}
}

func TestMain(m *testing.M) { livetest.Main(m) }

func TestLiveReadHist(t *testing.T) {
	tool := startTrace(t, `tracepoint:syscalls:sys_exit_read /comm == "pbxreader" && args->ret == 5000/ { @bytes = hist(args->ret); }`)
	if out, err := livetest.Helper(t, "pbxreader", "read", "5000", "2").CombinedOutput(); err != nil {
		t.Fatalf("reader: %v %s", err, out)
	}
	time.Sleep(200 * time.Millisecond)
	out := stopAndOutput(t, tool)
	want := "@bytes: \n[4K, 8K)               2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
	if !strings.Contains(out, want) {
		t.Errorf("want\n%s\nin\n%s", want, out)
	}
}

func TestLivePrintfOpen(t *testing.T) {
	file := filepath.Join(t.TempDir(), "pbx-opened-file")
	os.WriteFile(file, []byte("x"), 0o644)
	tool := startTrace(t, `tracepoint:syscalls:sys_enter_openat /comm == "pbxcat"/ { printf("%s opened %s\n", comm, str(args->filename)); }`)
	livetest.Helper(t, "pbxcat", "open", file).Run()
	if _, ok := tool.WaitStdout(t, wait, func(l string) bool { return l == "pbxcat opened "+file }); !ok {
		t.Errorf("no printf line for %s in %q", file, tool.Stdout())
	}
}

func TestLiveIntervalExit(t *testing.T) {
	livetest.Require(t)
	tool := livetest.Start(t, Applet, "-e", `interval:ms:100 { @n = @n + 1; printf("tick %d\n", @n); if (@n >= 3) { exit(); } }`)
	status, exited := tool.Exited(wait)
	if !exited || status != 0 {
		t.Fatalf("exited %v status %d, stderr %q", exited, status, tool.Stderr())
	}
	want := "Attaching 1 probe...\ntick 1\ntick 2\ntick 3\n\n\n@n: 3\n"
	if got := strings.Join(tool.Stdout(), "\n") + "\n"; got != want {
		t.Errorf("output\n%q\nwant\n%q", got, want)
	}
}

func TestLiveUprobe(t *testing.T) {
	livetest.Require(t)
	bin := buildTarget(t)
	tool := startTrace(t, `uprobe:`+bin+`:main.probeboxTraced { @calls = count(); }`)
	if err := exec.Command(bin, "5").Run(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	if out := stopAndOutput(t, tool); !strings.Contains(out, "\n@calls: 5\n") {
		t.Errorf("no @calls: 5 in\n%s", out)
	}
}

// TestLiveSameAsBpftrace compares with Debian's bpftrace where installed.
func TestLiveSameAsBpftrace(t *testing.T) {
	sameAsBpftrace(t, `BEGIN { printf("hello %d %s|%5d|%-5d|%x|%c|\n", 42, "str", 7, 7, 255, 65); @x = 5; @s = "text"; exit(); }`)
}

// sameAsBpftrace runs a program that ends by itself (BEGIN ... exit())
// with bpftrace and with trace, and wants the same output, byte for byte.
func sameAsBpftrace(t *testing.T, program string, args ...string) {
	t.Helper()
	livetest.Require(t)
	bt, err := exec.LookPath("bpftrace")
	if err != nil {
		t.Skip("bpftrace is not installed: nothing to compare with")
	}
	want, err := exec.Command(bt, append(args, "-e", program)...).Output()
	if err != nil {
		t.Fatalf("bpftrace: %v", err)
	}
	tool := livetest.Start(t, Applet, append(args, "-e", program)...)
	if _, exited := tool.Exited(wait); !exited {
		t.Fatal("trace did not exit")
	}
	if got := strings.Join(tool.Stdout(), "\n") + "\n"; got != string(want) {
		t.Errorf("probebox trace:\n%q\nbpftrace:\n%q\nstderr: %q", got, want, tool.Stderr())
	}
}

// TestLiveKstack: stacks are captured and named from kallsyms.
func TestLiveKstack(t *testing.T) {
	tool := startTrace(t, `tracepoint:sched:sched_process_exit { @[kstack] = count(); }`)
	exec.Command("/bin/true").Run()
	time.Sleep(200 * time.Millisecond)
	out := stopAndOutput(t, tool)
	// bpftrace 0.17 indents a stack key's frames by four spaces.
	if !strings.Contains(out, "@[\n    ") || strings.Contains(out, "@[\n     ") || !strings.Contains(out, "do_exit+") {
		t.Errorf("no symbolized kernel stack with do_exit in\n%s", out)
	}
}
