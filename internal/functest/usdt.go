package functest

import (
	_ "embed"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/probebox/probebox/core/livetest"
)

// usdtSource is embedded: test binaries are built with -trimpath for the
// kernel matrix, so the source's path is not known when they run.
//
//go:embed usdt/usdt_target.c
var usdtSource []byte

// BuildUSDT compiles usdt/usdt_target.c, a program whose USDT probes are
// written with sys/sdt.h (pbx:tick with three arguments, pbx:guarded
// behind its semaphore), and returns the binary: the one prebuilt in
// $PROBEBOX_TEST_CPROGS (the kernel matrix's guests, which have no
// compiler: kernels/lib.sh builds it as pbx-usdt) when there is one. It
// skips where neither that nor gcc and sys/sdt.h (Debian's
// systemtap-sdt-dev) are there.
func BuildUSDT(t *testing.T) string {
	t.Helper()
	livetest.Require(t)
	if p, ok := livetest.PrebuiltCProgram("pbx-usdt"); ok { // usdt_target.c's test-program line
		return p
	}
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("no gcc to build the USDT target with")
	}
	dir := t.TempDir()
	src, bin := filepath.Join(dir, "usdt_target.c"), filepath.Join(dir, "usdt_target")
	if err := os.WriteFile(src, usdtSource, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(gcc, "-O2", "-o", bin, src).CombinedOutput()
	if strings.Contains(string(out), "sys/sdt.h") {
		t.Skip("no sys/sdt.h (apt-get install systemtap-sdt-dev)")
	}
	if err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	return bin
}
