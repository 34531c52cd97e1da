package applet

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

func testApplet(run func(context.Context, *Invocation) error) *Applet {
	return &Applet{
		Name:    "demosnoop",
		Summary: "Trace demo things",
		Args:    []Arg{{Name: "interval", Usage: "seconds between summaries"}},
		Flags: []Flag{
			{Short: "T", Long: "time", Usage: "include time column"},
			{Short: "x", Long: "fails", Usage: "include failures"},
			{Short: "u", Long: "uid", Kind: Int, Meta: "UID", Usage: "trace this UID only", Default: "-1"},
			{Short: "n", Long: "name", Kind: String, Meta: "NAME", Usage: "name filter"},
			{Long: "max-args", Kind: Int, Usage: "argument limit", Default: "20"},
		},
		Examples: []Example{{"demosnoop", "trace everything"}, {"demosnoop -x", "include failures"}},
		Run:      run,
	}
}

func exec(a *Applet, args ...string) (status int, stdout, stderr string) {
	var o, e bytes.Buffer
	status = a.Exec(context.Background(), args, Streams{Stdout: &o, Stderr: &e})
	return status, o.String(), e.String()
}

func TestParseValues(t *testing.T) {
	var got *Invocation
	a := testApplet(func(_ context.Context, inv *Invocation) error { got = inv; return nil })
	status, _, stderr := exec(a, "-Tx", "-u", "1000", "--name=bash", "5")
	if status != 0 {
		t.Fatalf("status %d, stderr %q", status, stderr)
	}
	if !got.Bool("time") || !got.Bool("fails") || got.Int("uid") != 1000 || got.String("name") != "bash" {
		t.Errorf("values: time=%v fails=%v uid=%d name=%q", got.Bool("time"), got.Bool("fails"), got.Int("uid"), got.String("name"))
	}
	if !got.IsSet("uid") || got.IsSet("max-args") || got.Int("max-args") != 20 {
		t.Errorf("IsSet(uid)=%v IsSet(max-args)=%v max-args=%d", got.IsSet("uid"), got.IsSet("max-args"), got.Int("max-args"))
	}
	if len(got.Args) != 1 || got.Args[0] != "5" {
		t.Errorf("args = %q", got.Args)
	}
}

func TestUsageErrors(t *testing.T) {
	a := testApplet(func(_ context.Context, inv *Invocation) error {
		if inv.Int("max-args") == 0 {
			return Usagef("invalid --max-args 0")
		}
		return nil
	})
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-z"}, "unknown option -z"},
		{[]string{"--bogus"}, "unknown option --bogus"},
		{[]string{"-u", "abc"}, `invalid value "abc" for option -u`},
		{[]string{"-u"}, "option -u needs a value"},
		{[]string{"--max-args", "0"}, "invalid --max-args 0"},
		{[]string{"1", "2"}, `unexpected argument "2"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			status, stdout, stderr := exec(a, tt.args...)
			if status != 2 {
				t.Errorf("status = %d, want 2", status)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			if strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "demosnoop: ") || !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr = %q, want one line naming %q", stderr, tt.want)
			}
		})
	}
}

func TestRuntimeErrorAndPanic(t *testing.T) {
	a := testApplet(func(context.Context, *Invocation) error { return errors.New("no BTF") })
	if status, _, stderr := exec(a); status != 1 || stderr != "demosnoop: no BTF\n" {
		t.Errorf("runtime error: status %d stderr %q", status, stderr)
	}
	a = testApplet(func(context.Context, *Invocation) error { panic("boom") })
	status, _, stderr := exec(a)
	if status != 1 || strings.Contains(stderr, "goroutine") || !strings.Contains(stderr, "internal error: boom") {
		t.Errorf("panic: status %d stderr %q", status, stderr)
	}
}

func TestHelp(t *testing.T) {
	a := testApplet(func(context.Context, *Invocation) error { t.Fatal("ran despite --help"); return nil })
	for _, flag := range []string{"-h", "--help"} {
		status, stdout, _ := exec(a, flag)
		if status != 0 {
			t.Fatalf("%s: status %d", flag, status)
		}
		want := `Usage: demosnoop [-h] [-T] [-x] [-u UID] [-n NAME] [--max-args MAX_ARGS] [interval]

Trace demo things

Options:
  -h, --help           show this help message and exit
  -T, --time           include time column
  -x, --fails          include failures
  -u, --uid UID        trace this UID only (default -1)
  -n, --name NAME      name filter
  --max-args MAX_ARGS  argument limit (default 20)

Arguments:
  interval  seconds between summaries

Examples:
    demosnoop     # trace everything
    demosnoop -x  # include failures
`
		if stdout != want {
			t.Errorf("%s: help =\n%s\nwant\n%s", flag, stdout, want)
		}
	}
}

func TestLookupSuffix(t *testing.T) {
	a := testApplet(func(context.Context, *Invocation) error { return nil })
	a.Name = "lookupsnoop"
	Register(a)
	defer delete(registry, a.Name)
	for _, name := range []string{"lookupsnoop", "lookupsnoop-bpfcc"} {
		if got, ok := Lookup(name); !ok || got != a {
			t.Errorf("Lookup(%q) = %v, %v", name, got, ok)
		}
	}
	if _, ok := Lookup("lookupsnoop-bpf"); ok {
		t.Error("Lookup accepted an unknown suffix")
	}
}
