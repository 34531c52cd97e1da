package reliability

import (
	"bufio"
	"errors"
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

// summaryOnly are applets that write only at an interval or at exit, so a
// failed write is one summary, not a count of events.
var summaryOnly = map[string]bool{"runqlat": true, "biolatency": true, "profile": true, "offcputime": true, "stackcount": true, "wakeuptime": true, "offwaketime": true, "syscount": true, "pidpersec": true, "tcprtt": true, "tcpsynbl": true, "tcptop": true, "sockstat": true, "biostacks": true, "biotop": true, "filetop": true, "slabratetop": true, "bitesize": true,
	"vfsstat": true, "vfscount": true, "cachestat": true, "biopattern": true, "readahead": true,
	"fsdist": true, "ext4dist": true, "xfsdist": true, "btrfsdist": true, "nfsdist": true}

// machineDependent are applets that, on a machine without what they
// measure (a VM without cpufreq or hardware counters), say so in one line
// and exit 1.
var machineDependent = map[string]bool{}

// `APPLET | head -1`: once the reader is gone the applet ends quietly,
// status 0, nothing on stderr, whether it notices at the next event or at
// Ctrl-C.
func TestBrokenPipe(t *testing.T) {
	livetest.Require(t)
	for _, name := range applets {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if refusedHere(t, name) {
				return
			}
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(binary, append([]string{name}, observeArgs[name]...)...)
			var stderr strings.Builder
			cmd.Stdout, cmd.Stderr = w, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			w.Close()
			done := make(chan struct{})
			go func() { cmd.Wait(); close(done) }()
			t.Cleanup(func() { cmd.Process.Kill(); <-done })
			if _, err := bufio.NewReader(r).ReadString('\n'); err != nil {
				<-done
				t.Fatalf("no first line: %v; stderr %q", err, stderr.String())
			}
			r.Close() // head -1 exits
			for i := 0; i < 20 && !closed(done); i++ {
				runHelper(t) // events to write into the dead pipe
			}
			if !closed(done) {
				cmd.Process.Signal(syscall.SIGINT) // summary tools write at exit
			}
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				t.Fatal("still running 30s after its reader went away")
			}
			if code := cmd.ProcessState.ExitCode(); code != 0 || stderr.Len() > 0 {
				t.Errorf("exit status %d (%v), stderr %q; want 0 and nothing", code, cmd.ProcessState, stderr.String())
			}
		})
	}
}

func closed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// Output to a file system that fills up while tracing: the error is
// reported once, on one line, with the number of events that were not
// written, and the status is 1.
func TestFullFilesystem(t *testing.T) {
	eachTracer(t, func(t *testing.T, name string) {
		dir := smallTmpfs(t, 64<<10)
		out, err := os.Create(filepath.Join(dir, "out"))
		if err != nil {
			t.Fatal(err)
		}
		defer out.Close()
		cmd := exec.Command(binary, append([]string{name}, observeArgs[name]...)...)
		var stderr strings.Builder
		cmd.Stdout, cmd.Stderr = out, &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		t.Cleanup(func() { cmd.Process.Kill(); <-done })
		// Fill the disk once the header is out: from then on every write fails.
		for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			if fi, _ := out.Stat(); fi != nil && fi.Size() > 0 || closed(done) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("no header in 60s; stderr %q", stderr.String())
			}
		}
		// tmpfs hands out whole pages: fill the rest of out's last page
		// (the applet's descriptor shares this file offset), so its next
		// write needs a page the full disk does not have.
		if fi, err := out.Stat(); err == nil && fi.Size()%4096 != 0 {
			out.Write(make([]byte, 4096-fi.Size()%4096))
		}
		fill(t, filepath.Join(dir, "filler"))
		// A tool that writes per event fails at the first one; one that
		// writes at exit gets SIGINT after that.
		for deadline := time.Now().Add(8 * time.Second); !closed(done) && time.Now().Before(deadline); {
			runHelper(t)
		}
		if !closed(done) {
			cmd.Process.Signal(syscall.SIGINT)
		}
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Fatal("still running with its output on a full file system")
		}
		msg, code := stderr.String(), cmd.ProcessState.ExitCode()
		if code == 0 && msg == "" && !showsHelper[name] {
			// Right for a tool that had nothing to write: no error made up.
			t.Logf("%s had nothing to write after the disk filled: status 0, quiet", name)
			return
		}
		if code != 1 {
			t.Errorf("exit status %d, want 1; stderr %q", code, msg)
		}
		if strings.Count(msg, "\n") != 1 || !strings.Contains(msg, "no space left on device") {
			t.Errorf("stderr %q: want the write error once, on one line", msg)
		}
		if !summaryOnly[name] && !strings.Contains(msg, " events not written)") {
			t.Errorf("stderr %q: want the number of events not written", msg)
		}
	})
}

// fill writes to path until the file system is full.
func fill(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 4096)
	for {
		if _, err := f.Write(buf); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			break
		}
	}
	for _, n := range []int{1024, 256, 64, 16, 4, 1} {
		for {
			if _, err := f.Write(buf[:n]); err != nil {
				break
			}
		}
	}
}

// smallTmpfs mounts a tmpfs of size bytes, unmounted at cleanup.
func smallTmpfs(t *testing.T, size int) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+itoa(size)); err != nil {
		t.Fatalf("mounting a small tmpfs: %v", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir
}

// SIGINT, SIGTERM and SIGHUP all detach (nothing of ours stays in the
// kernel), flush (what the helper did before the signal is printed) and
// exit 0.
func TestSignalsDetachAndFlush(t *testing.T) {
	eachTracer(t, func(t *testing.T, name string) {
		for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
			t.Run(sig.String(), func(t *testing.T) {
				p := start(t, name, observeArgs[name]...)
				if !p.ready(t) {
					t.Fatal("exited before tracing")
				}
				ids := bpfObjects(t, p.cmd.Process.Pid)
				runHelper(t) // complete before the signal: its events are in the buffer
				p.signal(sig)
				if code := p.wait(t, 30*time.Second); code != 0 {
					t.Errorf("exit status %d, want 0; stderr %q", code, p.Stderr())
				}
				if showsHelper[name] && !strings.Contains(p.Stdout(), "pbx") {
					t.Errorf("the helper's events were not flushed at %v:\n%s", sig, p.Stdout())
				}
				if s := p.Stderr(); strings.Contains(s, "panic") || strings.Contains(s, "goroutine") {
					t.Errorf("stderr: %s", s)
				}
				ids.waitGone(t)
			})
		}
	})
}

func itoa(n int) string { return strconv.Itoa(n) }
