package livetest

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// CProgramsEnv names a directory of C test programs built beforehand
// (kernels/lib.sh builds every one for the kernel matrix, whose guests
// have no compiler).
const CProgramsEnv = "PROBEBOX_TEST_CPROGS"

// cprogMarker starts the line of a C test program's source that names
// the program and its compiler flags:
//
//	/* test-program: pbx-threads -O1 -pthread */
//
// kernels/lib.sh reads the same line to build it for the guests.
const cprogMarker = "/* test-program:"

// CProgram returns a C test program built from src (a path relative to
// the test's package, e.g. testdata/threads.c): the prebuilt one in
// $PROBEBOX_TEST_CPROGS when there is one, else built now with gcc into
// the test's temporary directory. The program's file name (its comm) is
// the name its source's test-program line gives. Without either, the
// test skips, naming gcc: the one external program it needs.
func CProgram(t testing.TB, src string) string {
	t.Helper()
	name, flags, err := cprogSpec(src)
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := PrebuiltCProgram(name); ok {
		return p
	}
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skipf("gcc is not installed, and $%s has no prebuilt %s (kernels/lib.sh builds it where the host has gcc, aarch64-linux-gnu-gcc for arm64): no way to build %s", CProgramsEnv, name, src)
	}
	bin := filepath.Join(t.TempDir(), name)
	args := append(append([]string{}, flags...), "-o", bin, src)
	if out, err := exec.Command(gcc, args...).CombinedOutput(); err != nil {
		t.Fatalf("gcc %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return bin
}

// PrebuiltCProgram is the C test program name built beforehand in
// $PROBEBOX_TEST_CPROGS (kernels/lib.sh, for the guests), if there is one.
func PrebuiltCProgram(name string) (string, bool) {
	dir := os.Getenv(CProgramsEnv)
	if dir == "" {
		return "", false
	}
	p := filepath.Join(dir, name)
	_, err := os.Stat(p)
	return p, err == nil
}

// cprogSpec reads src's test-program line: the program's name and flags.
func cprogSpec(src string) (name string, flags []string, err error) {
	f, err := os.Open(src)
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), cprogMarker)
		if !ok {
			continue
		}
		fields := strings.Fields(strings.TrimSuffix(strings.TrimSpace(rest), "*/"))
		if len(fields) == 0 {
			break
		}
		return fields[0], fields[1:], nil
	}
	return "", nil, fmt.Errorf("%s: no %q line naming the program and its flags", src, cprogMarker+" NAME FLAGS */")
}
