package trace

import (
	"os/exec"
	"testing"

	"github.com/probebox/probebox/internal/functest"
)

// buildUSDTTarget: the shared USDT test program (internal/functest).
func buildUSDTTarget(t *testing.T) string {
	t.Helper()
	return functest.BuildUSDT(t)
}

// TestLiveUSDTSameAsBpftrace: arguments from the notes' specs (a
// register int, a negative 64-bit value, a string pointer), and a probe
// its program fires only while its semaphore counts a tracer.
func TestLiveUSDTSameAsBpftrace(t *testing.T) {
	bin := buildUSDTTarget(t)
	target := exec.Command(bin, "3")
	in := waiting(t, target)
	program := `usdt:` + bin + `:pbx:tick { printf("%d %ld %s\n", arg0, arg1, str(arg2)); @[str(arg2)] = sum(arg0); }
usdt:` + bin + `:guarded { printf("guarded %d\n", arg0); }`
	ours, theirs := bothSee(t, program, func() {
		in.Write([]byte("go\n"))
		target.Wait()
	})
	want := "0 -1000000000000 pbx-zero\nguarded 100\n1 -2000000000000 pbx-one\nguarded 101\n2 -3000000000000 pbx-two\nguarded 102\n\n\n@[pbx-zero]: 0\n@[pbx-one]: 1\n@[pbx-two]: 2\n"
	if ours != want {
		t.Errorf("probebox trace:\n%s\nwant:\n%s", ours, want)
	}
	if ours != theirs {
		t.Errorf("probebox trace:\n%s\nbpftrace:\n%s", ours, theirs)
	}
}
