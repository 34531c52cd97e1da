package livetest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/probebox/probebox/core/attach"
)

// TracepointMode is a way to run a live test again with the typed
// tracepoint hooks taken away, so that the tracefs tracepoint programs,
// which read the event's own record, are tested too. (PROBEBOX_DISABLE
// cannot do this within one test process: the running kernel's probes
// are cached.)
type TracepointMode struct {
	Name string
	deny []attach.Kind
}

// TracepointModes: the best hooks, then tracefs tracepoints instead of
// tp_btf and raw tracepoints.
var TracepointModes = []TracepointMode{
	{Name: "best"},
	{Name: "tracefs", deny: []attach.Kind{attach.TPBTF, attach.RawTracepoint}},
}

// Kernel is the running kernel without the mode's hook kinds; nil for
// the best hooks (the loader's default).
func (m TracepointMode) Kernel() attach.Kernel {
	if len(m.deny) == 0 {
		return nil
	}
	return refusing{Kernel: attach.Running, deny: m.deny}
}

type refusing struct {
	attach.Kernel
	deny []attach.Kind
}

func (r refusing) Supports(k attach.Kind) error {
	for _, d := range r.deny {
		if k == d {
			return fmt.Errorf("taken away by the test")
		}
	}
	return r.Kernel.Supports(k)
}

// Check fails t when a tool's -v lines (stderr) say it used a hook kind
// this mode took away.
func (m TracepointMode) Check(t testing.TB, stderr []string) {
	t.Helper()
	for _, l := range stderr {
		for _, k := range m.deny {
			if strings.Contains(l, ": using "+k.String()+" ") || strings.Contains(l, " + "+k.String()+" ") {
				t.Errorf("with %s taken away: %q", k, l)
			}
		}
	}
}
