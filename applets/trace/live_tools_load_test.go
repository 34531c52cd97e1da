package trace

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/probebox/probebox/applets/trace/lang"
	"github.com/probebox/probebox/core/livetest"
)

// kprobeEnv is the running kernel's environment, except that kprobes
// count as available: a kprobe program loads (and is verified) on a
// kernel that cannot attach it, so the tools this host refuses are
// still compiled and checked by the verifier here.
type kprobeEnv struct{ *kernelEnv }

func (e kprobeEnv) HookAvailable(kind string) error {
	if kind == "kprobe" || kind == "kretprobe" {
		return nil
	}
	return e.kernelEnv.HookAvailable(kind)
}

// TestLiveBpftraceToolsLoad: every tool of bpftrace's tools/ compiles
// and passes the verifier, also the ones whose probes cannot attach here.
func TestLiveBpftraceToolsLoad(t *testing.T) {
	livetest.Require(t)
	for _, file := range btTools(t) {
		name := filepath.Base(file)
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			want := expectedFailure(t, name, string(src))
			if want == "probes cannot be used here" {
				want = ""
			}
			err = compileAndLoad(file, string(src))
			switch {
			case want == "" && err != nil:
				t.Errorf("does not load: %v", err)
			case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
				t.Errorf("error %v, want one naming %q", err, want)
			}
		})
	}
}

func containsStr(s, sub string) bool {
	return len(sub) == 0 || (len(s) >= len(sub) && indexOf(s, sub) >= 0)
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func compileAndLoad(file, src string) error {
	pp, err := lang.Preprocess(file, src, lang.PreprocessOptions{HaveBTF: true})
	if err != nil {
		return err
	}
	prog, err := lang.Parse(file, pp.Text)
	if err != nil {
		return err
	}
	prog.Structs = append(pp.Structs, prog.Structs...)
	if err := lang.BindParams(prog, nil); err != nil {
		return err
	}
	c, err := lang.Compile(prog, kprobeEnv{newKernelEnv()}, lang.Options{Arch: runtime.GOARCH, File: file})
	if err != nil {
		return err
	}
	coll, err := load(c)
	if err != nil {
		return err
	}
	coll.Close()
	return nil
}
