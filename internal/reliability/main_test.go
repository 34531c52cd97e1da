package reliability

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/livetest"
)

var (
	binary  string   // the probebox built for these tests
	applets []string // `probebox --list-names`
	workDir string
)

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) != "" {
		os.Exit(helperMain(os.Args[1:]))
	}
	status := func() int {
		dir, err := os.MkdirTemp("", "pbx-reliability")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		os.Chmod(dir, 0o755) // the setuid test runs it as nobody
		workDir = dir
		binary = filepath.Join(dir, "probebox")
		if prebuilt := os.Getenv("PROBEBOX_BINARY"); prebuilt != "" {
			// The kernel matrix's guest has no Go: it ships one.
			if err := copyBinary(prebuilt, binary); err != nil {
				fmt.Fprintf(os.Stderr, "PROBEBOX_BINARY: %v\n", err)
				return 1
			}
		} else {
			build := exec.Command("go", "build", "-o", binary, "github.com/probebox/probebox")
			build.Env = append(os.Environ(), "CGO_ENABLED=0")
			if out, err := build.CombinedOutput(); err != nil {
				fmt.Fprintf(os.Stderr, "building probebox: %v\n%s", err, out)
				return 1
			}
		}
		out, err := exec.Command(binary, "--list-names").Output()
		if err != nil {
			fmt.Fprintf(os.Stderr, "probebox --list-names: %v\n", err)
			return 1
		}
		// The exporter has no link of its own (NoLink) but traces like
		// the others, so it is covered too.
		applets = append(strings.Fields(string(out)), "exporter")
		return m.Run()
	}()
	os.Exit(status)
}

// copyBinary copies the probebox to test into the test's own folder (the
// setuid test changes its mode there).
func copyBinary(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o755)
}

// observeArgs make an applet show the helper process (its comm) when the
// default invocation does not. An applet not listed runs without arguments.
var observeArgs = map[string][]string{
	"exporter":   {"--listen", "127.0.0.1:0"}, // instances run side by side
	"fsdist":     {"-t", "ext4"},
	"fsslower":   {"-t", "ext4"},
	"runqlat":    {"-P"},
	"stackcount": {"-P", "t:sched:sched_process_exec"},
	"trace":      {"-e", `tracepoint:syscalls:sys_enter_getppid { printf("%s\n", comm); }`},
}

// showsHelper lists the applets that must print the helper's comm when
// run with observeArgs: the helper execs, opens a file, connects and
// accepts on loopback, sleeps and calls getppid.
var showsHelper = map[string]bool{
	"execsnoop": true, "opensnoop": true, "runqlat": true, "trace": true,
	"tcpconnect": true, "tcpaccept": true, "tcplife": true, "tcpstates": true, "tcpconnlat": true,
	"solisten": true, "bindsnoop": true, "tcptracer": true,
}

// proc is a running probebox applet.
type proc struct {
	name   string
	cmd    *exec.Cmd
	mu     sync.Mutex
	stdout bytes.Buffer
	stderr bytes.Buffer
	lines  chan string // stdout lines as they come
	done   chan struct{}
	err    error
}

// start runs `probebox name args...` with stdout to a pipe it collects.
func start(t *testing.T, name string, args ...string) *proc {
	t.Helper()
	p := &proc{name: name, lines: make(chan string, 4096), done: make(chan struct{})}
	p.cmd = exec.Command(binary, append([]string{name}, args...)...)
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.cmd.Stderr = &lockedWriter{mu: &p.mu, w: &p.stderr}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		r := bufio.NewReader(out)
		for {
			line, err := r.ReadString('\n')
			if line != "" {
				p.mu.Lock()
				p.stdout.WriteString(line)
				p.mu.Unlock()
				select {
				case p.lines <- line:
				default:
				}
			}
			if err != nil {
				break
			}
		}
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
	})
	return p
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// ready waits for the first stdout line (every tracer prints its header
// or banner once attached). It returns false when the applet exited
// instead: it is not a tracer (tplist, features).
func (p *proc) ready(t *testing.T) bool {
	t.Helper()
	select {
	case <-p.lines:
		return true
	case <-p.done:
		return false
	case <-time.After(60 * time.Second):
		t.Fatalf("%s printed nothing in 60s; stderr: %s", p.name, p.Stderr())
		return false
	}
}

// firstLine waits, at most within, for the applet's first line (its
// header), or its exit.
func (p *proc) firstLine(within time.Duration) {
	select {
	case <-p.lines:
	case <-p.done:
	case <-time.After(within):
	}
}

// wait waits for the applet to exit and returns its status (-1 when a
// signal killed it).
func (p *proc) wait(t *testing.T, within time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(within):
		t.Fatalf("%s did not exit within %v; stderr: %s", p.name, within, p.Stderr())
	}
	return p.cmd.ProcessState.ExitCode()
}

// attached waits until the applet holds a BPF link or program, and
// reports false if it exits first (a lister such as tplist).
func (p *proc) attached(t *testing.T) bool {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !p.exited() {
		if holdsBPF(p.cmd.Process.Pid) {
			return true
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s loaded nothing in 60s; stderr: %s", p.name, p.Stderr())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

// holdsBPF reports whether the process has a BPF link open (or, for
// kernels without links, a program).
func holdsBPF(pid int) bool {
	dir := "/proc/" + strconv.Itoa(pid) + "/fdinfo"
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		if bytes.Contains(b, []byte("link_id:")) {
			return true
		}
	}
	return false
}

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

func (p *proc) signal(sig syscall.Signal) { p.cmd.Process.Signal(sig) }

func (p *proc) Stdout() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stdout.String()
}

func (p *proc) Stderr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

var (
	tracerMu sync.Mutex
	tracer   = map[string]bool{}
)

// isTracer reports whether the applet, run with its observe arguments,
// stays running and tracing (as opposed to tplist or features, which print
// and exit). The answer is found once, by running it.
func isTracer(t *testing.T, name string) bool {
	t.Helper()
	tracerMu.Lock()
	v, ok := tracer[name]
	tracerMu.Unlock()
	if ok {
		return v
	}
	// Subtests of one name never run at once: no lock while it runs.
	p := start(t, name, observeArgs[name]...)
	v = p.ready(t) && p.attached(t)
	if !p.exited() {
		p.signal(syscall.SIGINT)
	}
	if code := p.wait(t, 30*time.Second); code != 0 {
		t.Fatalf("exit status %d; stderr %q", code, p.Stderr())
	}
	tracerMu.Lock()
	tracer[name] = v
	tracerMu.Unlock()
	return v
}

// eachTracer runs fn as a subtest for every tracing applet, several at
// once (go test's -parallel): most of each case is waiting.
func eachTracer(t *testing.T, fn func(t *testing.T, name string)) {
	t.Helper()
	forTracers(t, true, fn)
}

// eachTracerAlone runs fn for one applet at a time, for a case that loads
// the machine by itself.
func eachTracerAlone(t *testing.T, fn func(t *testing.T, name string)) {
	t.Helper()
	forTracers(t, false, fn)
}

func forTracers(t *testing.T, parallel bool, fn func(t *testing.T, name string)) {
	t.Helper()
	livetest.Require(t)
	for _, name := range applets {
		t.Run(name, func(t *testing.T) {
			if parallel {
				t.Parallel()
			}
			if refusedHere(t, name) {
				return
			}
			if !isTracer(t, name) {
				t.Logf("%s prints and exits (checked: status 0); it does not trace", name)
				return
			}
			fn(t, name)
		})
	}
}

// refusedHere checks an applet this machine cannot run (its hooks are
// missing, such as fsdist's without kprobes or fentry, or what it
// measures, such as cpufreq in a VM) for what it must do instead: say so
// on one line and exit 1. It then returns true and the caller's case,
// which needs the applet running, is not this machine's to check; the
// kernels of the matrix that have the hooks run it. False: it runs here.
func refusedHere(t *testing.T, name string) bool {
	t.Helper()
	missing := ""
	if a, ok := applet.Lookup(name); ok && len(a.Hooks) > 0 {
		if _, err := attach.Choose(a.Hooks, attach.Running); err != nil {
			missing = err.Error()
		}
	}
	if missing == "" && !machineDependent[name] {
		return false
	}
	cmd := exec.Command(binary, append([]string{name}, observeArgs[name]...)...)
	var stderr lockedBuilder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	// Running: still there after 30 s (scaled: emulated guests probe
	// slowly), or, for a tool whose hooks are here, holding a BPF program
	// (the machine has what it needs after all: it traces). A tool
	// lacking hooks may hold a probe's program for a moment while it
	// finds out.
	for deadline := time.Now().Add(livetest.Scaled(30 * time.Second)); !closed(done); time.Sleep(20 * time.Millisecond) {
		o, err := readBPFObjects(cmd.Process.Pid)
		tracing := missing == "" && err == nil && len(o.progs) > 0
		if !time.Now().After(deadline) && !tracing {
			continue
		}
		cmd.Process.Kill()
		<-done
		if missing != "" {
			t.Fatalf("%s runs although this kernel lacks its hooks (%s)", name, missing)
		}
		return false
	}
	msg := stderr.String()
	if code := cmd.ProcessState.ExitCode(); code != 1 || strings.Count(msg, "\n") != 1 {
		t.Errorf("cannot run here (%s) but: exit status %d, stderr %q; want 1 and one line", missing, code, msg)
	}
	t.Logf("cannot run here; refused with: %s", strings.TrimSpace(msg))
	return true
}
