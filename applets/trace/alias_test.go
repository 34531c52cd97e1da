package trace

import (
	"testing"

	"github.com/probebox/probebox/core/applet"
)

// TestBpftraceAlias: a link named bpftrace runs trace, so a script's
// "#!/usr/bin/env bpftrace" reaches it.
func TestBpftraceAlias(t *testing.T) {
	if a, ok := applet.Lookup("bpftrace"); !ok || a != Applet {
		t.Errorf("bpftrace is %v, %v; want the trace applet", a, ok)
	}
}
