package trace

import (
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/probebox/probebox/core/livetest"
)

// TestLivePythonUSDT: python3's function__entry (a probe behind a
// semaphore) and import__find__load__start while a Python started after
// the tracer imports a module of the test's; str() reads the names from
// the notes' argument specs. Python 3.11 fires function__entry only for
// frames entered from C (its start-up's generator expressions), so the
// module itself is seen by its import. The interpreter runs through a
// link of its own name, which is its comm. Next to bpftrace the outputs
// are compared whole.
func TestLivePythonUSDT(t *testing.T) {
	livetest.Require(t)
	py := pythonWithUSDT(t)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "pbxmod.py"), "X = 1\n")
	link := filepath.Join(dir, "pbxpy3")
	if err := os.Symlink(py, link); err != nil {
		t.Fatal(err)
	}
	program := fmt.Sprintf(`usdt:%[1]s:python:function__entry /comm == "pbxpy3"/ { printf("entry %%s %%s\n", str(arg0), str(arg1)); }
usdt:%[1]s:python:import__find__load__start /comm == "pbxpy3"/ { printf("import %%s\n", str(arg0)); }`, py)
	cause := func() {
		cmd := exec.Command(link, "-S", "-c", fmt.Sprintf("import sys; sys.path.insert(0, %q); import pbxmod", dir))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("python: %v %s", err, out)
		}
	}
	ours := seeComparing(t, program, cause)
	if !strings.Contains(ours, "\nimport pbxmod\n") {
		t.Errorf("no import of pbxmod in\n%s", ours)
	}
	entries := 0
	for _, l := range strings.Split(ours, "\n") {
		if f := strings.Fields(l); len(f) >= 3 && f[0] == "entry" {
			entries++
		}
	}
	if entries == 0 {
		t.Errorf("no function__entry with a file and a function name in\n%s", ours)
	}
}

// pythonWithUSDT is the distribution's python3 (Debian's is built with
// --with-dtrace), the name the probe gives: a python3 earlier on PATH
// may be a wrapper script.
func pythonWithUSDT(t *testing.T) string {
	const name = "/usr/bin/python3"
	py, err := filepath.EvalSymlinks(name)
	if err != nil {
		t.Skipf("no %s here", name)
	}
	f, err := elf.Open(py)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Section(".note.stapsdt") == nil {
		t.Skipf("%s has no USDT notes (built without --with-dtrace)", py)
	}
	return name
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
