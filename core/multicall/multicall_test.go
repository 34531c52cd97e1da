package multicall

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/probebox/probebox/core/applet"
)

// ran records the name and arguments the fake applet was started with.
var ran []string

func init() {
	applet.Register(&applet.Applet{
		Name:    "fakesnoop",
		Summary: "A fake tool for dispatch tests",
		Flags:   []applet.Flag{{Short: "x", Long: "fails", Usage: "x"}},
		Run: func(_ context.Context, inv *applet.Invocation) error {
			ran = append([]string{inv.Name}, inv.Args...)
			return nil
		},
	})
}

func runMain(argv ...string) (int, string, string) {
	ran = nil
	var o, e bytes.Buffer
	status := Main(argv, applet.Streams{Stdout: &o, Stderr: &e})
	return status, o.String(), e.String()
}

func TestDispatch(t *testing.T) {
	tests := []struct {
		name string
		argv []string
	}{
		{"subcommand", []string{"/usr/bin/probebox", "fakesnoop", "-x"}},
		{"symlink", []string{"/usr/local/bin/fakesnoop", "-x"}},
		{"relative symlink", []string{"./bin/fakesnoop", "-x"}},
		{"bcc package suffix", []string{"/usr/sbin/fakesnoop-bpfcc", "-x"}},
		{"subcommand with suffix", []string{"probebox", "fakesnoop-bpfcc", "-x"}},
		{"renamed binary", []string{"/tmp/pb-copy", "fakesnoop", "-x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, stderr := runMain(tt.argv...)
			if status != 0 || len(ran) != 1 || ran[0] != "fakesnoop" {
				t.Fatalf("status %d, ran %q, stderr %q", status, ran, stderr)
			}
		})
	}
}

func TestList(t *testing.T) {
	for _, argv := range [][]string{{"probebox"}, {"probebox", "--list"}, {"probebox", "--help"}} {
		status, stdout, _ := runMain(argv...)
		if status != 0 || !strings.Contains(stdout, "fakesnoop") || !strings.Contains(stdout, "A fake tool for dispatch tests") {
			t.Errorf("%q: status %d, stdout %q", argv, status, stdout)
		}
	}
}

func TestUnknown(t *testing.T) {
	for _, argv := range [][]string{{"probebox", "nosuchsnoop"}, {"probebox", "--nosuch"}} {
		status, stdout, stderr := runMain(argv...)
		if status != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, argv[1]) {
			t.Errorf("%q: status %d, stdout %q, stderr %q", argv, status, stdout, stderr)
		}
	}
}

func TestInstall(t *testing.T) {
	dir := t.TempDir()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	self, _ = filepath.EvalSymlinks(self)
	link := filepath.Join(dir, "fakesnoop")

	status, stdout, stderr := runMain("probebox", "--install", "-s", dir)
	if status != 0 {
		t.Fatalf("install: status %d stderr %q", status, stderr)
	}
	if target, err := os.Readlink(link); err != nil || target != self {
		t.Fatalf("link = %q, %v; want %q", target, err, self)
	}
	if !strings.Contains(stdout, "symlink "+link+" -> "+self) {
		t.Errorf("install did not say what it did: %q", stdout)
	}

	// Again: an existing probebox link is replaced.
	if status, stdout, _ = runMain("probebox", "--install", "-s", dir); status != 0 || !strings.Contains(stdout, "replaced symlink "+link) {
		t.Errorf("reinstall: status %d stdout %q", status, stdout)
	}

	// A foreign file is never overwritten without --force.
	os.Remove(link)
	os.WriteFile(link, []byte("#!/bin/sh\n"), 0o755)
	status, stdout, _ = runMain("probebox", "--install", "-s", dir)
	if data, _ := os.ReadFile(link); status != 0 || string(data) != "#!/bin/sh\n" || !strings.Contains(stdout, "skipped "+link) {
		t.Errorf("foreign file: status %d, stdout %q, content %q", status, stdout, data)
	}
	status, stdout, _ = runMain("probebox", "--install", "-s", "--force", dir)
	if target, _ := os.Readlink(link); status != 0 || target != self || !strings.Contains(stdout, "forced symlink") {
		t.Errorf("--force: status %d, stdout %q, target %q", status, stdout, target)
	}

	// Hard links (busybox's default without -s) share the binary's inode.
	hard := t.TempDir()
	if status, _, stderr = runMain("probebox", "--install", hard); status != 0 {
		// Hard links across file systems fail; that is an honest error.
		if !strings.Contains(stderr, "cross-device") {
			t.Fatalf("hard install: status %d stderr %q", status, stderr)
		}
		return
	}
	a, _ := os.Stat(filepath.Join(hard, "fakesnoop"))
	b, _ := os.Stat(self)
	if !os.SameFile(a, b) {
		t.Error("hard link is not the same file as the binary")
	}
}

func TestInstallUsage(t *testing.T) {
	for _, argv := range [][]string{{"probebox", "--install"}, {"probebox", "--install", "-q", "x"}} {
		if status, _, stderr := runMain(argv...); status != 2 || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%q: status %d stderr %q", argv, status, stderr)
		}
	}
}

func TestVersion(t *testing.T) {
	status, stdout, _ := runMain("probebox", "--version")
	if status != 0 || !strings.HasPrefix(stdout, "probebox ") || !strings.Contains(stdout, "go1.") || !strings.Contains(stdout, "github.com/cilium/ebpf ") {
		t.Errorf("status %d:\n%s", status, stdout)
	}
}

func TestManPages(t *testing.T) {
	dir := t.TempDir()
	if status, _, stderr := runMain("probebox", "--man-pages", dir); status != 0 {
		t.Fatalf("status %d: %s", status, stderr)
	}
	for _, name := range []string{"probebox.8", "fakesnoop.8"} {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err != nil || !strings.HasPrefix(string(b), ".TH ") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
