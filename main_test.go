package main

import (
	"io"
	"time"

	"github.com/probebox/probebox/core/livetest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// buildBinary builds the real static binary once for the end-to-end tests.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "probebox")
	cmd := exec.Command("go", "build", "-trimpath", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func runBin(t *testing.T, path string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(path, args...)
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	status := 0
	if ee, ok := err.(*exec.ExitError); ok {
		status = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return status, o.String(), e.String()
}

func TestBinaryEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	dir := filepath.Dir(bin)

	// Static: no program interpreter in the ELF headers.
	if out, _ := exec.Command("ldd", bin).CombinedOutput(); !strings.Contains(string(out), "not a dynamic executable") {
		t.Errorf("ldd: %s", out)
	}

	for _, name := range []string{"execsnoop", "execsnoop-bpfcc"} {
		link := filepath.Join(dir, name)
		if err := os.Symlink(bin, link); err != nil {
			t.Fatal(err)
		}
		status, stdout, _ := runBin(t, link, "--help")
		if status != 0 || !strings.Contains(stdout, "Usage: execsnoop") || !strings.Contains(stdout, "execsnoop -x") || !strings.Contains(stdout, "# include failed exec()s") {
			t.Errorf("%s --help: status %d\n%s", name, status, stdout)
		}
	}
	status, sub, _ := runBin(t, bin, "execsnoop", "--help")
	if _, viaLink, _ := runBin(t, filepath.Join(dir, "execsnoop"), "--help"); status != 0 || sub != viaLink {
		t.Errorf("probebox execsnoop --help differs from the symlink's")
	}

	for _, args := range [][]string{{"nosuchtool"}, {"execsnoop", "-Z"}, {"execsnoop", "-u", "abc"}, {"execsnoop", "--max-args", "0"}, {"execsnoop", "--max-args", "61"}} {
		status, stdout, stderr := runBin(t, bin, args...)
		if status != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 || strings.Contains(stderr, "goroutine") {
			t.Errorf("%q: status %d, stdout %q, stderr %q; want one line and status 2", args, status, stdout, stderr)
		}
	}
	if status, stdout, _ := runBin(t, bin, "--list"); status != 0 || !strings.Contains(stdout, "execsnoop") {
		t.Errorf("--list: status %d\n%s", status, stdout)
	}
}

// TestBinaryUnprivileged: without root the tool says what is missing, exit 1.
func TestBinaryUnprivileged(t *testing.T) {
	if testing.Short() || os.Geteuid() != 0 {
		t.Skip("needs root to switch to an unprivileged user")
	}
	bin := buildBinary(t)
	// t.TempDir's folders are private to root; let the other user in.
	os.Chmod(filepath.Dir(bin), 0o755)
	os.Chmod(filepath.Dir(filepath.Dir(bin)), 0o755)
	cmd := exec.Command(bin, "execsnoop")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	var e strings.Builder
	cmd.Stderr = &e
	err := cmd.Run()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 1 {
		t.Fatalf("unprivileged run: %v, stderr %q", err, e.String())
	}
	if msg := e.String(); strings.Count(msg, "\n") != 1 || !strings.Contains(msg, "CAP_BPF") || !strings.Contains(msg, "root") {
		t.Errorf("stderr %q: want one line naming root and CAP_BPF", msg)
	}
}

// TestBinarySignals: SIGINT and SIGTERM detach, flush and exit 0.
func TestBinarySignals(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	livetest.Require(t)
	bin := buildBinary(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.Command(bin, "execsnoop")
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			header := make([]byte, 64)
			n, _ := stdout.Read(header) // the header comes once attached
			if !strings.HasPrefix(string(header[:n]), "PCOMM") {
				cmd.Process.Kill()
				t.Fatalf("no header: %q, stderr %q", header[:n], stderr.String())
			}
			cmd.Process.Signal(sig)
			done := make(chan error, 1)
			go func() { io.Copy(io.Discard, stdout); done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("exit after %v: %v, stderr %q", sig, err, stderr.String())
				}
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("still running 10 s after %v", sig)
			}
		})
	}
}
