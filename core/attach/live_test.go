package attach

import (
	"fmt"
	"os"
	"sync"
	"testing"
)

// TestLiveProbes checks the probes against what this kernel really has. The
// development host has tracepoints, raw tracepoints and tp_btf; whether it
// has fentry or kprobes is only reported, since the matrix kernels differ.
func TestLiveProbes(t *testing.T) {
	requireRoot(t)
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

// TestLiveConcurrentProbes: tools set up side by side in one process
// (the exporter's collectors, two applets in one test) probe the same
// hooks at once with the one shared probe program, which the kernel
// refuses to attach twice to a hook (EEXIST): every probe must still get
// the kernel's answer, here that the hooks attach. Fresh Lives, so each
// probe really attaches.
func TestLiveConcurrentProbes(t *testing.T) {
	requireRoot(t)
	hooks := []Attachment{
		{Kind: Tracepoint, Group: "syscalls", Target: "sys_exit_pwrite64"},
		{Kind: Tracepoint, Group: "syscalls", Target: "sys_enter_pwrite64"},
		{Kind: RawTracepoint, Target: "sys_exit"},
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k := &Live{}
			for _, a := range hooks {
				if err := k.HasTarget(a); err != nil {
					errs <- fmt.Errorf("%v: %w", a, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// One Live asked from several goroutines answers from one probe.
	k := &Live{}
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := k.HasTarget(hooks[0]); err != nil {
				t.Errorf("shared Live: %v", err)
			}
		}()
	}
	wg.Wait()
}

// requireRoot: live probes need root; under PROBEBOX_LIVE=1 (CI) its
// absence fails the test. (core/livetest's Require imports this package.)
func requireRoot(t *testing.T) {
	t.Helper()
	if os.Getuid() != 0 {
		if os.Getenv("PROBEBOX_LIVE") == "1" {
			t.Fatal("PROBEBOX_LIVE=1 but not root: live probes need root")
		}
		t.Skip("needs root")
	}
}
