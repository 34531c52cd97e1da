package features

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
)

type fakeKernel map[attach.Kind]bool

func (f fakeKernel) Supports(k attach.Kind) error {
	if f[k] {
		return nil
	}
	return errors.New("missing here")
}
func (f fakeKernel) HasTarget(attach.Attachment) error { return nil }

var tools = []*applet.Applet{
	{Name: "blocky", Hooks: []attach.Hook{{Name: "issue", Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{{Kind: attach.TPBTF, Target: "block_rq_issue", Program: "a"}}},
		{Attach: []attach.Attachment{{Kind: attach.Kprobe, Target: "blk_mq_start_request", Program: "b"}}, Limits: "slower"},
	}}}},
	{Name: "nohooks"},
}

var needy = []*applet.Applet{
	{Name: "readline", Needs: []applet.Need{{Feature: "uprobes", For: "lines read"}}},
	{Name: "sampler", Needs: []applet.Need{{Feature: "perf_events", For: "timed samples"}, {Feature: "uprobes", For: "symbols"}}},
	{Name: "counter", NeedsAny: true, Needs: []applet.Need{{Feature: "tracepoint", For: "t:GROUP:NAME"}, {Feature: "kprobes", For: "kernel functions"}}},
	{Name: "netlink", Needs: []applet.Need{{For: "sock_diag"}}},
}

func TestNeedsReports(t *testing.T) {
	fs := []Feature{{Name: "uprobes", Available: true}, {Name: "perf_events", Detail: "perf_event_open: no"}, {Name: "tracepoint", Available: true}, {Name: "kprobes", Detail: "CONFIG_KPROBES is off"}}
	r := appletReports(needy, fakeKernel{}, fs)
	if len(r) != len(needy) {
		t.Fatalf("%d reports for %d applets", len(r), len(needy))
	}
	want := map[string]bool{"readline": true, "sampler": false, "counter": true, "netlink": true}
	for _, a := range r {
		if a.Runs != want[a.Name] {
			t.Errorf("%s: runs = %v (%s)", a.Name, a.Runs, a.Reason)
		}
	}
	if !strings.Contains(r[1].Reason, "timed samples (perf_events: perf_event_open: no)") {
		t.Errorf("sampler's reason %q does not say what is missing", r[1].Reason)
	}
	if h := r[2].Hooks; len(h) != 2 || h[0].Using != "tracepoint" || h[1].Using != "" || !strings.Contains(h[1].Rejected[0], "CONFIG_KPROBES") {
		t.Errorf("counter's lines %+v: want the tracepoint form here, kernel functions not", h)
	}
}

func TestAppletReports(t *testing.T) {
	tests := []struct {
		name   string
		kernel fakeKernel
		runs   bool
		using  string
	}{
		{"6.1 with everything", fakeKernel{attach.TPBTF: true, attach.Kprobe: true}, true, "tp_btf block_rq_issue"},
		{"kprobes only", fakeKernel{attach.Kprobe: true}, true, "kprobe blk_mq_start_request"},
		{"nothing", fakeKernel{}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := appletReports(tools, tt.kernel, nil)
			if len(r) != 1 || r[0].Name != "blocky" {
				t.Fatalf("reports %+v: want only the applet with hooks", r)
			}
			if r[0].Runs != tt.runs {
				t.Fatalf("runs = %v (%s)", r[0].Runs, r[0].Reason)
			}
			if tt.runs && r[0].Hooks[0].Using != tt.using {
				t.Errorf("using %q, want %q", r[0].Hooks[0].Using, tt.using)
			}
			if !tt.runs && !strings.Contains(r[0].Reason, "issue") {
				t.Errorf("reason %q does not name the hook", r[0].Reason)
			}
		})
	}
}

func TestParseLockdown(t *testing.T) {
	for text, ok := range map[string]bool{"[none] integrity confidentiality\n": true, "none [integrity] confidentiality\n": true, "none integrity [confidentiality]\n": false} {
		if f := parseLockdown(text); f.Available != ok {
			t.Errorf("%q: %+v", text, f)
		}
	}
}

// TestLiveReport runs the real probes: this machine's answers are checked
// where they are known (tracepoints exist wherever the suite runs).
func TestLiveReport(t *testing.T) {
	if os.Geteuid() != 0 {
		if os.Getenv("PROBEBOX_LIVE") == "1" {
			t.Fatal("PROBEBOX_LIVE=1 but not root")
		}
		t.Skip("needs root")
	}
	var out bytes.Buffer
	if status := Applet.Exec(context.Background(), []string{"--json"}, applet.Streams{Stdout: &out, Stderr: &out}); status != 0 {
		t.Fatalf("status %d: %s", status, out.String())
	}
	var r Report
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out.String())
	}
	got := map[string]bool{}
	for _, f := range r.Features {
		got[f.Name] = f.Available
	}
	for _, name := range []string{"btf", "tracepoint", "raw_tracepoint", "privileges"} {
		if !got[name] {
			t.Errorf("%s reported missing on the test machine", name)
		}
	}
	t.Logf("fentry=%v kprobes=%v tp_btf=%v", got["fentry"], got["kprobes"], got["tp_btf"])
}
