package trace

import (
	"strings"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"

	"github.com/probebox/probebox/applets/trace/lang"
	"github.com/probebox/probebox/core/livetest"
)

// TestLiveVerifierRefusal: a program the kernel refuses (here one that
// reads a register it never set) is reported in our words, naming the
// probe, with the verifier's own last lines under them.
func TestLiveVerifierRefusal(t *testing.T) {
	livetest.Require(t)
	bad := &ebpf.ProgramSpec{Name: "p0", Type: ebpf.RawTracepoint, License: "GPL",
		Instructions: asm.Instructions{asm.Mov.Reg(asm.R0, asm.R2), asm.Return()}}
	c := &lang.Compiled{
		Probes:   []*lang.CompiledProbe{{Target: lang.Target{Kind: "BEGIN", Text: "BEGIN"}, Spec: bad}},
		MapSpecs: map[string]*ebpf.MapSpec{},
	}
	_, err := load(c)
	if err == nil {
		t.Fatal("the kernel loaded a program reading an unset register")
	}
	msg := err.Error()
	t.Logf("%s", msg)
	for _, want := range []string{
		"ERROR: the kernel's verifier refused the program generated for probe BEGIN (permission denied).\n",
		"please report it with the program. The verifier's last lines:\n",
		"\n    0: (bf) r0 = r2\n    R2 !read_ok",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("no %q in\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "processed ") {
		t.Errorf("the verifier's statistics were quoted:\n%s", msg)
	}
}
