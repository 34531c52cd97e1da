package reliability

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/probebox/probebox/core/livetest"
)

// A setuid or setgid installation refuses to run, for root and for
// anyone else, and says why.
func TestSetuidRefused(t *testing.T) {
	livetest.Require(t) // chown root and running as nobody need root
	b, err := os.ReadFile(binary)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(workDir, "suid")
	os.MkdirAll(dir, 0o755)
	for _, mode := range []os.FileMode{0o755 | os.ModeSetuid, 0o755 | os.ModeSetgid} {
		path := filepath.Join(dir, "probebox")
		os.Remove(path)
		if err := os.WriteFile(path, b, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		for _, user := range []uint32{0, 65534} {
			for _, args := range [][]string{{"execsnoop"}, {"--list"}, {"execsnoop", "--help"}} {
				cmd := exec.Command(path, args...)
				cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: user, Gid: user}}
				out, _ := cmd.CombinedOutput()
				want := "installed set-user-ID"
				if mode&os.ModeSetgid != 0 {
					want = "installed set-group-ID"
				}
				if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.Contains(string(out), "refusing to run") || !strings.Contains(string(out), want) {
					t.Errorf("mode %v, uid %d, %v: status %d, output %q; want a refusal saying %q", mode, user, args, code, out, want)
				}
			}
		}
	}
}
