package completion_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	_ "github.com/probebox/probebox/applets"
	"github.com/probebox/probebox/completion"
	"github.com/probebox/probebox/core/applet"
)

// script writes the completion script for shell into a temp file.
func script(t *testing.T, shell string) string {
	t.Helper()
	var b bytes.Buffer
	if err := completion.Write(&b, shell, applet.All()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "probebox."+shell)
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// binDir builds probebox into a folder for PATH (trace completes probe
// names by running it).
func binDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "probebox"), "..")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return dir
}

// bashComplete asks real bash for the completions of words, the last
// being the word under the cursor.
func bashComplete(t *testing.T, path, pathEnv string, words ...string) []string {
	t.Helper()
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = "'" + w + "'"
	}
	prog := `source "$1"; COMP_WORDS=(` + strings.Join(quoted, " ") + `); COMP_CWORD=$((${#COMP_WORDS[@]}-1)); _probebox; printf '%s\n' "${COMPREPLY[@]}"`
	cmd := exec.Command("bash", "-c", prog, "bash", path)
	cmd.Env = append(os.Environ(), "PATH="+pathEnv)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("bash: %v", err)
	}
	return strings.Fields(string(out))
}

func TestBash(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	path := script(t, "bash")
	env := os.Getenv("PATH")
	tests := []struct {
		words []string
		want  []string
	}{
		{[]string{"probebox", "exec"}, []string{"execsnoop"}},
		{[]string{"execsnoop", "--max"}, []string{"--max-args"}},
		{[]string{"execsnoop", "-"}, []string{"-x", "--fails", "-T", "--json", "--max-args", "-P"}},
		{[]string{"probebox", "execsnoop", "--f"}, []string{"--fails"}},
		{[]string{"execsnoop-bpfcc", "--qu"}, []string{"--quote"}},
		{[]string{"tplist", "-"}, []string{"-v", "-l", "-p"}},
	}
	for _, tt := range tests {
		got := bashComplete(t, path, env, tt.words...)
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("%q: %q lacks %q", tt.words, got, w)
			}
		}
	}
	// Values: PIDs after -P, directories after -c, files after --btf.
	if got := bashComplete(t, path, env, "execsnoop", "-P", ""); !slices.Contains(got, "1") || !slices.Contains(got, strconv.Itoa(os.Getpid())) {
		t.Errorf("-P completes %d words, want PIDs including 1 and this test's", len(got))
	}
	cg := bashComplete(t, path, env, "execsnoop", "--cgroup", "/sys/fs/cgroup/")
	if len(cg) == 0 || !strings.HasPrefix(cg[0], "/sys/fs/cgroup/") {
		t.Errorf("--cgroup completes %q, want cgroup directories", cg)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "vmlinux.btf"), nil, 0o644)
	if got := bashComplete(t, path, env, "execsnoop", "--btf", dir+"/vm"); !slices.Equal(got, []string{dir + "/vmlinux.btf"}) {
		t.Errorf("--btf completes %q", got)
	}
}

func TestBashProbeNames(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("listing tracepoints needs root")
	}
	path := script(t, "bash")
	got := bashComplete(t, path, binDir(t)+":"+os.Getenv("PATH"), "trace", "tracepoint:sched:sched_process_ex")
	if !slices.Contains(got, "tracepoint:sched:sched_process_exit") {
		t.Errorf("trace completes %q", got)
	}
}

func TestFish(t *testing.T) {
	if _, err := exec.LookPath("fish"); err != nil {
		t.Skip("fish is not installed")
	}
	path := script(t, "fish")
	out, err := exec.Command("fish", "-c", `source $argv[1]; complete -C 'execsnoop --'; complete -C 'probebox exec'`, path).Output()
	if err != nil {
		t.Fatalf("fish: %v", err)
	}
	for _, want := range []string{"--fails", "--max-args", "execsnoop"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("fish completions lack %q:\n%s", want, out)
		}
	}
}

func TestZsh(t *testing.T) {
	if _, err := exec.LookPath("zsh"); err != nil {
		t.Skip("zsh is not installed")
	}
	path := script(t, "zsh")
	out, err := exec.Command("zsh", "-f", "-c", `autoload -U compinit && compinit -u -D; source $1; print -r -- ${_comps[execsnoop]}`, "zsh", path).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "_probebox") {
		t.Fatalf("zsh did not register execsnoop: %v\n%s", err, out)
	}
}

func TestUnknownShell(t *testing.T) {
	if err := completion.Write(&bytes.Buffer{}, "tcsh", applet.All()); !applet.IsUsage(err) {
		t.Errorf("tcsh: %v, want a usage error", err)
	}
}
