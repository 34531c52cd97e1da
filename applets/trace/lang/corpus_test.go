package lang

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/probebox/probebox/core/probes"
)

var update = flag.Bool("update", false, "rewrite testdata/corpus/*.golden")

// fakeEnv is a kernel with a few tracepoints, read from copies of real
// format files in core/probes/testdata.
type fakeEnv struct {
	lister *probes.Lister
	hooks  map[string]bool
}

func newFakeEnv() *fakeEnv {
	return &fakeEnv{lister: &probes.Lister{TracefsDir: "testdata/tracefs"}, hooks: map[string]bool{"fentry": true}}
}

func (f *fakeEnv) Expand(pattern string) ([]string, error) {
	var out []string
	err := f.lister.List(pattern, func(n string) error { out = append(out, n); return nil })
	return out, err
}
func (f *fakeEnv) TracepointFields(g, n string) ([]probes.Field, error) {
	return f.lister.TracepointFields(g, n)
}
func (f *fakeEnv) FuncParams(fn string) ([]Param, error) {
	switch fn {
	case "vfs_read":
		return fakeVfsReadParams(), nil
	case "ip_rcv":
		return fakeIPRcvParams(), nil
	}
	return nil, fmt.Errorf("no kernel function %s", fn)
}

func (f *fakeEnv) USDTSites(binary string) ([]USDTSite, error) {
	return []USDTSite{
		{Provider: "pbx", Name: "tick", Offset: 0x1139, SemOffset: 0x4010, Args: "-4@%edi 8@-16(%rbp) 8@%rax -2@$7"},
		{Provider: "pbx", Name: "tick", Offset: 0x1180, Args: "-4@-20(%rbp) 8@%rdx 8@%rcx -2@$7"},
		{Provider: "pbx", Name: "indexed", Offset: 0x11a0, Args: "8@8(%rax,%rbx,8)"},
	}, nil
}

func (f *fakeEnv) HasFunction(binary, name string) (bool, error) {
	return name != "no_such_function", nil
}

func (f *fakeEnv) KernelFunction(name string) (string, error) {
	if name == "no_such_function" {
		return "", fmt.Errorf("no kernel function %s", name)
	}
	return name, nil
}

func (f *fakeEnv) Binary(name string, pid uint32) (string, error) {
	return probes.ResolveBinary(name)
}

// The fake kernel is like the development host: fentry and kprobes are
// both missing unless a test says otherwise.
func (f *fakeEnv) HookAvailable(kind string) error {
	if f.hooks[kind] {
		return nil
	}
	return fmt.Errorf("no %s", kind)
}

// describeCompiled is the golden text: the AST, then each map's type.
func describeCompiled(prog *Program, c *Compiled) string {
	var b strings.Builder
	DumpAST(&b, prog)
	for _, m := range c.Maps {
		fmt.Fprintf(&b, "map %s: %s keys=%v", m.Display(), m.Agg, m.Keys)
		if m.Agg == AggStr || m.Agg == AggInt || m.Agg == AggVal {
			fmt.Fprintf(&b, " value=%v", m.Value)
		}
		b.WriteString("\n")
	}
	for _, p := range c.Probes {
		fmt.Fprintf(&b, "program %s %s (%d instructions)\n", p.Target.Text, p.Spec.Type, len(p.Spec.Instructions))
	}
	return b.String()
}

func corpus(t *testing.T) []string {
	files, err := filepath.Glob("testdata/corpus/*.bt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	sort.Strings(files)
	return files
}

// compileFile parses and compiles one corpus program against env.
func compileFile(t *testing.T, path string, env Env) (*Program, *Compiled, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pp, err := Preprocess(filepath.Base(path), string(src), PreprocessOptions{HaveBTF: true, IncludeDirs: []string{"testdata/include"}})
	if err != nil {
		return nil, nil, err
	}
	prog, err := Parse(filepath.Base(path), pp.Text)
	if err != nil {
		return nil, nil, err
	}
	prog.Structs = append(pp.Structs, prog.Structs...)
	c, err := Compile(prog, env, Options{Arch: "amd64", File: filepath.Base(path)})
	return prog, c, err
}

func TestCorpus(t *testing.T) {
	for _, path := range corpus(t) {
		name := strings.TrimSuffix(filepath.Base(path), ".bt")
		t.Run(name, func(t *testing.T) {
			prog, c, err := compileFile(t, path, newFakeEnv())
			var got string
			if err != nil {
				got = "error: " + err.Error() + "\n"
			} else {
				got = describeCompiled(prog, c)
			}
			if strings.HasPrefix(name, "err_") != (err != nil) {
				t.Errorf("%s: error = %v; programs named err_* must fail, the others compile", name, err)
			}
			golden := strings.TrimSuffix(path, ".bt") + ".golden"
			if *update {
				os.WriteFile(golden, []byte(got), 0o644)
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (go test -update writes it)", err)
			}
			if got != string(want) {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestFormatVerbs(t *testing.T) {
	verbs, err := ParseFormat("%d %-5s %lu %%x %llx %c %p %i")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range verbs {
		got = append(got, v.Spec+"="+string(v.Verb))
	}
	want := "%d=d %-5s=s %lu=u %llx=x %c=c %p=p %i=d"
	if strings.Join(got, " ") != want {
		t.Errorf("verbs %q, want %q", strings.Join(got, " "), want)
	}
	if _, err := ParseFormat("%f"); err == nil {
		t.Error("a float verb was accepted")
	}
}

// TestFunctionProbeFallback: kprobe and fentry stand in for each other.
func TestFunctionProbeFallback(t *testing.T) {
	tests := []struct {
		probe string
		hooks map[string]bool
		want  string
	}{
		{"kprobe:vfs_read", map[string]bool{"kprobe": true, "fentry": true}, "kprobe"},
		{"kprobe:vfs_read", map[string]bool{"fentry": true}, "fentry"},
		{"fentry:vfs_read", map[string]bool{"kprobe": true}, "kprobe"},
		{"kretprobe:vfs_read", map[string]bool{"fexit": true}, "fexit"},
		{"kprobe:vfs_read", map[string]bool{}, "error"},
	}
	for _, tt := range tests {
		env := newFakeEnv()
		env.hooks = tt.hooks
		prog, err := Parse("t", tt.probe+" { @[args->count] = count(); @a = arg1; }")
		if err != nil {
			t.Fatal(err)
		}
		c, err := Compile(prog, env, Options{Arch: "amd64"})
		got := "error"
		if err == nil {
			got = c.Probes[0].Target.Kind
		}
		if got != tt.want {
			t.Errorf("%s with %v: %s (%v), want %s", tt.probe, tt.hooks, got, err, tt.want)
		}
	}
}
