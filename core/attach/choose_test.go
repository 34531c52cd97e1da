package attach

import (
	"errors"
	"strings"
	"testing"
)

// fakeKernel offers the hook kinds and targets it lists.
type fakeKernel struct {
	kinds   map[Kind]bool
	targets map[string]bool // Attachment.String() of existing targets
}

func (f fakeKernel) Supports(k Kind) error {
	if f.kinds[k] {
		return nil
	}
	return errors.New("not in this kernel")
}

func (f fakeKernel) HasTarget(a Attachment) error {
	if f.targets == nil || f.targets[a.String()] {
		return nil
	}
	return errors.New("missing")
}

func kinds(ks ...Kind) map[Kind]bool {
	m := map[Kind]bool{}
	for _, k := range ks {
		m[k] = true
	}
	return m
}

// blockHooks mirrors a block-I/O tool: tp_btf, raw tracepoint, tracepoint, kprobe.
var blockHooks = []Hook{{
	Name: "block I/O issue",
	Candidates: []Candidate{
		{Attach: []Attachment{{Kind: TPBTF, Target: "block_rq_issue", Program: "btf_issue"}}},
		{Attach: []Attachment{{Kind: RawTracepoint, Target: "block_rq_issue", Program: "raw_issue"}}},
		{Attach: []Attachment{{Kind: Tracepoint, Group: "block", Target: "block_rq_issue", Program: "tp_issue"}}},
		{Attach: []Attachment{{Kind: Kprobe, Target: "blk_mq_start_request", Program: "kp_issue"}}},
	},
}}

func TestChooseFakeKernels(t *testing.T) {
	tests := []struct {
		name    string
		kernel  fakeKernel
		want    string // chosen program
		wantErr bool
	}{
		{"everything (6.1 with kprobes and fentry)", fakeKernel{kinds: kinds(TPBTF, Fentry, RawTracepoint, Tracepoint, Kprobe)}, "btf_issue", false},
		{"this host: no kprobes, no fentry", fakeKernel{kinds: kinds(TPBTF, RawTracepoint, Tracepoint)}, "btf_issue", false},
		{"no BTF: raw tracepoints", fakeKernel{kinds: kinds(RawTracepoint, Tracepoint, Kprobe)}, "raw_issue", false},
		{"tracefs only", fakeKernel{kinds: kinds(Tracepoint)}, "tp_issue", false},
		{"kprobes only (old kernel)", fakeKernel{kinds: kinds(Kprobe)}, "kp_issue", false},
		{"tracepoint renamed away", fakeKernel{kinds: kinds(Tracepoint, Kprobe), targets: map[string]bool{"kprobe blk_mq_start_request": true}}, "kp_issue", false},
		{"nothing", fakeKernel{kinds: kinds()}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, err := Choose(blockHooks, tt.kernel)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Choose succeeded with %v, want error", plan.Programs())
				}
				if !strings.Contains(err.Error(), "block I/O issue") {
					t.Errorf("error %q does not name the hook", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := plan.Programs(); len(got) != 1 || got[0] != tt.want {
				t.Fatalf("programs = %v, want [%s]", got, tt.want)
			}
		})
	}
}

func TestChooseOptionalTargets(t *testing.T) {
	hooks := []Hook{{Name: "open", Candidates: []Candidate{{Attach: []Attachment{
		{Kind: Tracepoint, Group: "syscalls", Target: "sys_enter_openat", Program: "openat"},
		{Kind: Tracepoint, Group: "syscalls", Target: "sys_enter_openat2", Program: "openat2", Optional: true},
	}}}}}
	k := fakeKernel{kinds: kinds(Tracepoint), targets: map[string]bool{"tracepoint syscalls:sys_enter_openat": true}}
	plan, err := Choose(hooks, k)
	if err != nil {
		t.Fatal(err)
	}
	if got := plan.Programs(); len(got) != 1 || got[0] != "openat" {
		t.Fatalf("programs = %v, want [openat]", got)
	}
	if len(plan[0].Skipped) != 1 {
		t.Fatalf("skipped = %v, want openat2", plan[0].Skipped)
	}
	var b strings.Builder
	plan.Explain(&b, "opensnoop")
	if !strings.Contains(b.String(), "skipped tracepoint syscalls:sys_enter_openat2") {
		t.Errorf("explanation lacks the skipped target:\n%s", b.String())
	}
}

func TestExplainSaysWhy(t *testing.T) {
	plan, err := Choose(blockHooks, fakeKernel{kinds: kinds(Tracepoint)})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	plan.Explain(&b, "biosnoop")
	out := b.String()
	for _, want := range []string{"using tracepoint block:block_rq_issue", "not tp_btf block_rq_issue: not in this kernel", "not raw_tracepoint block_rq_issue"} {
		if !strings.Contains(out, want) {
			t.Errorf("explanation lacks %q:\n%s", want, out)
		}
	}
}

func TestParseKind(t *testing.T) {
	for k := TPBTF; k <= Kretprobe; k++ {
		got, ok := ParseKind(k.String())
		if !ok || got != k {
			t.Errorf("ParseKind(%q) = %v, %v", k.String(), got, ok)
		}
	}
	if _, ok := ParseKind("uprobe-ish"); ok {
		t.Error("ParseKind accepted a bogus kind")
	}
}

func TestRenamedFunction(t *testing.T) {
	names := map[string]bool{
		"vfs_read": true, "tcp_v4_connect.isra.0": true, "blk_account.part.0": true,
		"blk_account.constprop.1": true, "ext4_sync.llvm.123456": true, "vfs_readv": true,
		"filemap_alloc_folio_noprof": true,
	}
	tests := []struct{ name, want string }{
		{"vfs_read", "vfs_read"},
		{"tcp_v4_connect", "tcp_v4_connect.isra.0"},
		{"blk_account", "blk_account.constprop.1"}, // a whole function before a split part
		{"ext4_sync", "ext4_sync.llvm.123456"},
		{"filemap_alloc_folio", "filemap_alloc_folio_noprof"}, // 6.10+ allocation profiling
		{"vfs_write", ""},
	}
	for _, tt := range tests {
		got, err := renamedFunction(names, tt.name)
		if tt.want == "" {
			if err == nil || !strings.Contains(err.Error(), "inlined or removed") {
				t.Errorf("%s: got %q, %v; want an inlined-or-removed error", tt.name, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s: got %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}

// TestWithoutFailedAttach: an attachment that failed to attach is treated
// as missing, so Choose takes the next candidate and says why.
func TestWithoutFailedAttach(t *testing.T) {
	k := fakeKernel{kinds: kinds(TPBTF, RawTracepoint, Tracepoint)}
	failed := map[string]error{"tp_btf block_rq_issue": errors.New("create raw tracepoint: not supported")}
	plan, err := Choose(blockHooks, Without(k, failed))
	if err != nil {
		t.Fatal(err)
	}
	if got := plan.Programs(); len(got) != 1 || got[0] != "raw_issue" {
		t.Fatalf("programs = %v, want [raw_issue]", got)
	}
	if r := plan[0].Rejected; len(r) != 1 || !strings.Contains(r[0], "attaching failed: create raw tracepoint: not supported") {
		t.Errorf("rejected = %q", r)
	}
}
