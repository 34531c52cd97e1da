package manpage

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
)

var demo = &applet.Applet{
	Name:    "demosnoop",
	Summary: "Trace demo-things",
	Flags: []applet.Flag{
		{Short: "x", Long: "fails", Usage: "include failed calls"},
		{Long: "max-args", Kind: applet.Int, Meta: "MAX_ARGS", Usage: "argument limit", Default: "20"},
	},
	Examples: []applet.Example{{"demosnoop -x", "include failures"}},
	Hooks: []attach.Hook{{Name: "exec", Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_enter_execve"}}},
		{Attach: []attach.Attachment{{Kind: attach.RawTracepoint, Target: "sched_process_exec"}}, Limits: "no failures"},
	}}},
	Run: func(context.Context, *applet.Invocation) error { return nil },
}

func TestAppletPage(t *testing.T) {
	var b strings.Builder
	if err := Applet(&b, demo, "1.2.3", "2026-11-25"); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{
		`.TH DEMOSNOOP 8 "2026-11-25" "probebox 1.2.3"`,
		`demosnoop \- Trace demo\-things`,
		`.B \-\-max\-args MAX_ARGS`,
		`1. tracepoint syscalls:sys_enter_execve`,
		`2. raw_tracepoint sched_process_exec (no failures)`,
		`.B demosnoop \-x`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q:\n%s", want, page)
		}
	}
	// man itself renders it, where man is installed.
	if _, err := exec.LookPath("man"); err != nil {
		return
	}
	f := t.TempDir() + "/demosnoop.8"
	os.WriteFile(f, []byte(page), 0o644)
	out, err := exec.Command("man", "-l", "-P", "cat", f).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "include failures") || strings.Contains(string(out), "warning") {
		t.Errorf("man -l: %v\n%s", err, out)
	}
}

func TestProbeboxPage(t *testing.T) {
	var b strings.Builder
	if err := Probebox(&b, []*applet.Applet{demo}, "1.2.3", "2026-11-25"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), ".BR demosnoop (8)") || !strings.Contains(b.String(), "/usr/libexec/probebox") {
		t.Errorf("overview:\n%s", b.String())
	}
}
