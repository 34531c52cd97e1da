// Package unwindtest gives the stack tools' live tests the unwinder's
// test program (core/unwind/testdata/hot.c): built -O2
// -fomit-frame-pointer by gcc where it is installed (dynamically linked,
// so stacks cross the system's libc), else an embedded static build (gcc
// 12, x86-64 or arm64) for machines without gcc (the kernel matrix's
// guests).
// Only tests import it.
package unwindtest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Static builds for the guests, which have no gcc: gcc 12 -O2
// -fomit-frame-pointer -static (x86-64; aarch64-linux-gnu-gcc for arm64,
// with -mbranch-protection=standard as Debian builds its packages, so
// that main signs its return address: the walker must strip it).
var (
	//go:embed testdata/hot-static-amd64.gz
	hotStaticAMD64 []byte
	//go:embed testdata/hot-static-arm64.gz
	hotStaticARM64 []byte
)

// Program returns the path of the test program, from a test in the
// package dir (two levels under the module root: applets/x).
func Program(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	exe := filepath.Join(dir, "hot")
	src := filepath.Join("..", "..", "core", "unwind", "testdata", "hot.c")
	if _, err := exec.LookPath("gcc"); err == nil {
		if _, err := os.Stat(src); err == nil {
			if out, err := exec.Command("gcc", "-O2", "-fomit-frame-pointer", "-o", exe, src).CombinedOutput(); err != nil {
				t.Fatalf("gcc: %v: %s", err, out)
			}
			return exe
		}
	}
	hotStatic := map[string][]byte{"amd64": hotStaticAMD64, "arm64": hotStaticARM64}[runtime.GOARCH]
	if hotStatic == nil {
		t.Skipf("no gcc to build %s, and no embedded build for %s", src, runtime.GOARCH)
	}
	zr, err := gzip.NewReader(bytes.NewReader(hotStatic))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(exe, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bufio.NewReader(zr).WriteTo(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return exe
}

// ThroughQsort says whether a root-first stack runs from main through
// qsort… to leaf: the whole chain of the test program, which a
// frame-pointer walk through its code and libc's cannot give.
func ThroughQsort(frames []string, leaf string) bool {
	if len(frames) == 0 || frames[len(frames)-1] != leaf {
		return false
	}
	main := -1
	for i, f := range frames {
		if f == "main" && main < 0 {
			main = i
		}
		if main >= 0 && i > main && strings.HasPrefix(f, "qsort") {
			return true
		}
	}
	return false
}

// ReachesMain says whether a stack has main in it.
func ReachesMain(frames []string) bool {
	for _, f := range frames {
		if f == "main" {
			return true
		}
	}
	return false
}

// FPTruncates: on x86-64 a frame-pointer walk through code built without
// frame pointers stops (rbp is a general register there), so the tests
// assert that --unwind=fp never reaches main; AArch64 code keeps its
// frame records (stp x29, x30) even then, and the walk reaches main past
// the frames it skips (seen in the arm64 guest).
var FPTruncates = runtime.GOARCH == "amd64"
