package dcsnoop

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/livetest"
)

func TestMain(m *testing.M) { livetest.Main(m) }

// wait bounds a broken setup only: under qemu without acceleration
// loading a tool can take over 10s.
const wait = 30 * time.Second

type lookup struct {
	PID  int    `json:"pid"`
	TID  int    `json:"tid"`
	Comm string `json:"comm"`
	Type string `json:"type"`
	File string `json:"file"`
}

// TestLiveLookups: the test makes a directory under a name never looked
// up before (d_lookup misses it: an M line with that name) and then stats
// it (lookup_fast finds it: an R line, -a), all in this process (-p). On
// a kernel with neither fentry/fexit nor kprobes (the development
// machine) dcsnoop ends at once with one line and status 1. Run again
// with fentry/fexit disabled: the kprobe and kretprobe pair where the
// kernel has kprobes.
func TestLiveLookups(t *testing.T) {
	for _, disable := range []string{"", "fentry,fexit"} {
		t.Run("disable="+disable, func(t *testing.T) {
			if disable != "" && livetest.RerunFresh(t, "PROBEBOX_DISABLE="+disable) {
				return
			}
			lookups(t)
		})
	}
}

func lookups(t *testing.T) {
	livetest.Require(t)
	pid := os.Getpid()
	tool := livetest.Start(t, Applet, "-a", "--json", "-v", "-p", strconv.Itoa(pid))
	hasEntry := attach.Running.Supports(attach.Fentry) == nil && attach.Running.Supports(attach.Fexit) == nil
	hasKprobe := attach.Running.Supports(attach.Kprobe) == nil && attach.Running.Supports(attach.Kretprobe) == nil
	if !hasEntry && !hasKprobe {
		status, exited := tool.Exited(wait)
		errs := tool.Stderr()
		var refusal []string
		for _, l := range errs {
			if !strings.HasPrefix(l, "dcsnoop: kernel BTF") && !strings.Contains(l, ":   ") && !strings.Contains(l, ": using ") {
				refusal = append(refusal, l)
			}
		}
		if !exited || status != 1 || len(refusal) != 1 || !strings.Contains(refusal[0], "no way to hook dcache") ||
			!strings.Contains(refusal[0], "kprobe") {
			t.Fatalf("exited %v status %d stderr %q: want status 1 and one line naming the missing hooks", exited, status, errs)
		}
		return
	}
	if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("did not start: %q", tool.Stderr())
	}
	name := fmt.Sprintf("pbxdcsnoop%d_%d", pid, time.Now().UnixNano())
	path := filepath.Join(t.TempDir(), name)
	if err := os.Mkdir(path, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	seen := map[string]lookup{}
	if _, ok := tool.WaitStdout(t, wait, func(l string) bool {
		var e lookup
		if json.Unmarshal([]byte(l), &e) == nil && e.File == name {
			seen[e.Type] = e
		}
		return seen["M"].File != "" && seen["R"].File != ""
	}); !ok {
		t.Fatalf("want an M and an R line for %s; got %v in %q; stderr %q", name, seen, tool.Stdout(), tool.Stderr())
	}
	for typ, e := range seen {
		if e.PID != pid || e.TID <= 0 || e.Comm == "" {
			t.Errorf("%s line %+v: want pid %d, a tid and a comm", typ, e, pid)
		}
	}
	for _, l := range tool.Stdout() {
		var e lookup
		if json.Unmarshal([]byte(l), &e) == nil && e.PID != pid {
			t.Errorf("-p %d let through %q", pid, l)
		}
	}
	if status := tool.Stop(); status != 0 {
		t.Fatalf("status %d: %q", status, tool.Stderr())
	}
}
