package loader

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/probebox/probebox/core/attach"

	bpfobj "github.com/probebox/probebox/bpfobj/execsnoop"
)

// lyingKernel is the running kernel, except that it claims a raw
// tracepoint exists that does not: the probe said yes, the real attach
// then fails — what fexit does on arm64 6.1.
type lyingKernel struct{ attach.Kernel }

func (k lyingKernel) HasTarget(a attach.Attachment) error {
	if a.Target == "probebox_no_such_tracepoint" {
		return nil
	}
	return k.Kernel.HasTarget(a)
}

// TestAttachFailureFallsBack: a candidate that probed well but fails to
// attach is replaced by the next one, and -v says so.
func TestAttachFailureFallsBack(t *testing.T) {
	if os.Getuid() != 0 {
		if os.Getenv("PROBEBOX_LIVE") == "1" {
			t.Fatal("PROBEBOX_LIVE=1 but not root: loading BPF needs root")
		}
		t.Skip("needs root")
	}
	hooks := []attach.Hook{{Name: "exec", Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{{Kind: attach.RawTracepoint, Target: "probebox_no_such_tracepoint", Program: "raw_sched_process_exec"}}},
		{Attach: []attach.Attachment{{Kind: attach.RawTracepoint, Target: "sched_process_exec", Program: "raw_sched_process_exec"}}},
	}}}
	var verbose strings.Builder
	obj, err := Load(Request{Tool: "test", Spec: bpfobj.LoadExecsnoop, Hooks: hooks,
		Kernel: lyingKernel{attach.Running}, Verbose: &verbose})
	if err != nil {
		t.Fatalf("Load did not fall back: %v\n%s", err, verbose.String())
	}
	defer obj.Close()
	if got := obj.Plan[0].Candidate.Attach[0].Target; got != "sched_process_exec" {
		t.Errorf("chose %s, want the second candidate sched_process_exec", got)
	}
	for _, want := range []string{"attaching raw_tracepoint probebox_no_such_tracepoint failed", "trying the next candidate", "using raw_tracepoint sched_process_exec"} {
		if !strings.Contains(verbose.String(), want) {
			t.Errorf("-v output lacks %q:\n%s", want, verbose.String())
		}
	}

	// With no candidate left the error names the failed attach.
	only := []attach.Hook{{Name: "exec", Candidates: hooks[0].Candidates[:1]}}
	_, err = Load(Request{Tool: "test", Spec: bpfobj.LoadExecsnoop, Hooks: only, Kernel: lyingKernel{attach.Running}})
	if err == nil || !strings.Contains(err.Error(), "probebox_no_such_tracepoint") {
		t.Fatalf("Load with one failing candidate: %v, want an error naming it", err)
	}
	var ae *attachError
	if errors.As(err, &ae) {
		t.Errorf("the final error is still an attach error for the caller to retry: %v", err)
	}
}
