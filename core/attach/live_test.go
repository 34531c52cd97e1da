package attach

import (
	"os"
	"testing"
)

// TestLiveProbes checks the probes against what this kernel really has. The
// development host has tracepoints, raw tracepoints and tp_btf; whether it
// has fentry or kprobes is only reported, since the matrix kernels differ.
func TestLiveProbes(t *testing.T) {
	if os.Getuid() != 0 {
		if os.Getenv("PROBEBOX_LIVE") == "1" {
			t.Fatal("PROBEBOX_LIVE=1 but not root: live probes need root")
		}
		t.Skip("needs root")
	}
	k := &Live{}
	for _, kind := range []Kind{RawTracepoint, Tracepoint} {
		if err := k.Supports(kind); err != nil {
			t.Errorf("%v: %v", kind, err)
		}
	}
	for _, kind := range []Kind{TPBTF, Fentry, Kprobe} {
		t.Logf("%v: %v", kind, k.Supports(kind))
	}
	if err := k.HasTarget(Attachment{Kind: Tracepoint, Group: "sched", Target: "sched_switch"}); err != nil {
		t.Errorf("sched:sched_switch: %v", err)
	}
	if err := k.HasTarget(Attachment{Kind: Tracepoint, Group: "sched", Target: "no_such_tracepoint"}); err == nil {
		t.Error("a missing tracepoint was reported present")
	}
	if err := k.HasTarget(Attachment{Kind: RawTracepoint, Target: "sched_switch"}); err != nil {
		t.Errorf("raw sched_switch: %v", err)
	}
	// Every kernel of the matrix attaches tp_btf; where kprobes attach, a
	// kernel function is found under its kallsyms name and attached.
	if err := k.Supports(TPBTF); err != nil {
		t.Errorf("tp_btf: %v", err)
	}
	if k.Supports(Kprobe) == nil {
		a, err := k.Resolve(Attachment{Kind: Kprobe, Target: "do_nanosleep"})
		if err != nil || a.Target == "" {
			t.Errorf("kprobe do_nanosleep: %v", err)
		}
		if _, err := k.Resolve(Attachment{Kind: Kprobe, Target: "probebox_no_such_function"}); err == nil {
			t.Error("a missing kernel function was reported attachable")
		}
	}
	if err := k.HasTarget(Attachment{Kind: RawTracepoint, Target: "probebox_no_such_tracepoint"}); err == nil {
		t.Error("a missing raw tracepoint was reported attachable")
	}
	t.Setenv(DisableEnv, "tracepoint")
	if err := (&Live{}).Supports(Tracepoint); err == nil {
		t.Errorf("%s=tracepoint did not disable tracepoints", DisableEnv)
	}
}
