package trace

import (
	"fmt"
	"strings"

	"github.com/cilium/ebpf"

	"github.com/probebox/probebox/applets/trace/lang"
)

// verifierLines is how much of the verifier's log an error quotes: the
// end, where it says what it refused.
const verifierLines = 6

// verifierError explains a refused program in our words first, then
// quotes the verifier's last lines: a refusal is our code generator's
// fault (or a kernel limit), never the user's, so it says so.
func verifierError(c *lang.Compiled, err error, ve *ebpf.VerifierError) error {
	probe := "a probe"
	// cilium/ebpf names the failing program: "program p3: load program: ...".
	for _, p := range c.Probes {
		if strings.HasPrefix(err.Error(), "program "+p.Spec.Name+":") {
			probe = "probe " + p.Target.Text
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "ERROR: the kernel's verifier refused the program generated for %s (%v).\n", probe, ve.Cause)
	b.WriteString("This is a bug in probebox trace, or a kernel limit the program goes past; please report it with the program. The verifier's last lines:")
	for _, l := range lastLines(ve.Log, verifierLines) {
		b.WriteString("\n    " + l)
	}
	return fmt.Errorf("%s", b.String())
}

// lastLines is the end of a verifier log, without its statistics.
func lastLines(log []string, n int) []string {
	for len(log) > 0 {
		last := strings.TrimSpace(log[len(log)-1])
		if last != "" && !strings.HasPrefix(last, "processed ") && !strings.HasPrefix(last, "verification time") && !strings.HasPrefix(last, "stack depth") {
			break
		}
		log = log[:len(log)-1]
	}
	if len(log) > n {
		log = log[len(log)-n:]
	}
	out := make([]string, len(log))
	for i, l := range log {
		out[i] = strings.TrimRight(l, " \n")
	}
	return out
}
