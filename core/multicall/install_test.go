package multicall

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/probebox/probebox/core/livetest"
)

// A symlink another user planted where a link will go is neither
// followed nor replaced, not even with --force.
func TestInstallRefusesPlantedSymlink(t *testing.T) {
	livetest.Require(t) // lchown to another user needs root
	root := t.TempDir()
	dir := filepath.Join(root, "bin")
	outside := filepath.Join(root, "outside")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(outside, []byte("precious\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	planted := filepath.Join(dir, "fakesnoop")
	if err := os.Symlink(outside, planted); err != nil {
		t.Fatal(err)
	}
	if err := os.Lchown(planted, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"--install", dir}, {"--install", "-s", dir}, {"--install", "--force", dir}, {"--install", "-s", "--force", dir}} {
		status, _, stderr := runMain(append([]string{"probebox"}, args...)...)
		if status != 1 || !strings.Contains(stderr, "refusing to replace "+planted+": a symlink owned by user 65534") {
			t.Errorf("%v: status %d stderr %q, want a refusal", args, status, stderr)
		}
		if got, err := os.Readlink(planted); err != nil || got != outside {
			t.Fatalf("%v: the planted symlink was replaced: %q %v", args, got, err)
		}
		if b, _ := os.ReadFile(outside); string(b) != "precious\n" {
			t.Fatalf("%v: wrote through the symlink: %q", args, b)
		}
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 2 {
		t.Errorf("install wrote outside %s: %v", dir, entries)
	}
}

// DIR itself being a symlink planted by another user is refused; one of
// root's own (merged /usr) is followed.
func TestInstallRefusesPlantedDir(t *testing.T) {
	livetest.Require(t)
	root := t.TempDir()
	real := filepath.Join(root, "real")
	if err := os.Mkdir(real, 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(root, "bin")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	if err := os.Lchown(link, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	status, _, stderr := runMain("probebox", "--install", "-s", link)
	if status != 1 || !strings.Contains(stderr, "refusing to follow "+link) {
		t.Errorf("status %d stderr %q, want a refusal", status, stderr)
	}
	if entries, _ := os.ReadDir(real); len(entries) != 0 {
		t.Errorf("install wrote through the planted symlink: %v", entries)
	}
	if err := os.Lchown(link, 0, 0); err != nil {
		t.Fatal(err)
	}
	if status, _, stderr = runMain("probebox", "--install", "-s", link); status != 0 {
		t.Errorf("root's own symlinked DIR: status %d stderr %q", status, stderr)
	}
}
