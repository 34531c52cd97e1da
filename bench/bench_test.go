package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/probebox/probebox/core/livetest"
)

func TestMain(m *testing.M) {
	helperMain()
	os.Exit(m.Run())
}

// probeboxBinary builds probebox from this tree (PROBEBOX_BENCH_BINARY
// names a prebuilt one instead).
func probeboxBinary(t *testing.T) string {
	if p := os.Getenv("PROBEBOX_BENCH_BINARY"); p != "" {
		return p
	}
	out := filepath.Join(t.TempDir(), "probebox")
	cmd := exec.Command("go", "build", "-trimpath", "-o", out, "github.com/probebox/probebox")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building probebox: %v\n%s", err, b)
	}
	return out
}

// TestSmoke runs the whole bench with tiny counts against probebox alone,
// so that it cannot rot: every workload runs, the flood equality holds on
// both buffer kinds, and the table has its shape.
func TestSmoke(t *testing.T) {
	livetest.Require(t)
	if testing.Short() {
		t.Skip("runs the bench")
	}
	cfg := defaults()
	cfg.quick()
	cfg.Probebox = probeboxBinary(t)
	cfg.Peers = false
	rep, err := run(cfg, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range rep.Rows {
		seen[strings.SplitN(r.Workload, " ", 2)[0]] = true
		switch {
		case r.Workload == "" || r.Tool == "" || r.Tracer == "" || r.Figure == "":
			t.Errorf("row without its names: %+v", r)
		case r.Status == "failed":
			t.Errorf("%s %s %s failed: %s", r.Workload, r.Tool, r.Tracer, r.Note)
		case r.Status == "ok" && r.Tracer != "none" && r.Unit == "" && r.Figure != "lost events":
			t.Errorf("figure without a unit: %+v", r)
		}
		if strings.HasPrefix(r.Workload, "flood") && r.Status == "ok" {
			if r.Met == nil || !*r.Met || r.Delivered == nil || r.Lost == nil || *r.Delivered+*r.Lost != r.Events {
				t.Errorf("%s: delivered %v + lost %v != produced %d", r.Workload, r.Delivered, r.Lost, r.Events)
			}
			if *r.Lost == 0 {
				t.Errorf("%s: nothing lost; the flood did not overflow the buffer", r.Workload)
			}
		}
		if r.Workload == "steady flood" && r.Status == "ok" && (r.Delivered == nil || r.Lost == nil || *r.Delivered+*r.Lost != r.Events) {
			t.Errorf("%s %s: delivered %v + lost %v != produced %d", r.Workload, r.Figure, r.Delivered, r.Lost, r.Events)
		}
	}
	for _, w := range []string{"streaming", "flood", "steady", "aggregation:", "catalogue:", "start-up", "memory", "size", "bpftrace"} {
		if !seen[w] {
			t.Errorf("no %q rows in %v", w, seen)
		}
	}
	var buf bytes.Buffer
	writeTable(&buf, rep.Rows)
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != len(rep.Rows)+2 {
		t.Fatalf("table has %d lines for %d rows", len(lines), len(rep.Rows))
	}
	for _, l := range lines {
		if n := strings.Count(l, " | ") + 1; n != len(columns) && !strings.Contains(l, `\|`) {
			t.Errorf("%d cells, want %d: %s", n, len(columns), l)
		}
	}
}
