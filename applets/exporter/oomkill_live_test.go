package exporter

import (
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/probebox/probebox/internal/proctest"
)

// TestLiveOOMKills: a helper in a memory cgroup limited to 16 MB
// allocates 256 MB and is OOM-killed; probebox_oom_kills_total grows by
// at least that kill (other kills on the machine only add).
func TestLiveOOMKills(t *testing.T) {
	s := startScraper(t, "oomkill")
	kills := sel{"probebox_oom_kills_total", nil}
	if !s.has(t, kills) {
		t.Fatalf("no %s before any kill (rate() needs the 0)", kills)
	}
	if hooks := s.exp.lines(); !strings.Contains(strings.Join(hooks, "\n"), "oomkill: using OOM kill=") {
		t.Errorf("-v does not name oomkill's hook: %q", hooks)
	}
	base := s.get(t, kills)
	procs := proctest.MemoryCgroup(t, 16<<20)
	h := proctest.Start(t, proctest.Cmd(t, "pbx-oom", "alloc", "256"))
	proctest.Join(t, procs, h.Pid)
	err := h.Continue()
	if ws, ok := h.Cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("helper was not OOM-killed: %v", err)
	}
	s.waitFor(t, 10*time.Second, atLeast(kills, base, 1))
}
