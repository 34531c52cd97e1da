package cachestat

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/internal/golden"
)

func TestCombine(t *testing.T) {
	for _, tc := range []struct {
		in   [4]int64
		want stats
	}{
		{[4]int64{apcl: 10, mpa: 100}, stats{hits: 90, misses: 10, ratio: 90}},
		{[4]int64{apcl: 300, mpa: 100}, stats{hits: 0, misses: 100}},                                           // readahead: all misses
		{[4]int64{apcl: 10, mpa: 100, mbd: 20, apd: 5}, stats{hits: 75, misses: 5, dirties: 20, ratio: 93.75}}, // dirtied buffers and pages taken out
		{[4]int64{apcl: -3, mpa: -1}, stats{}},
		{[4]int64{}, stats{}},
	} {
		if got := combine(tc.in); got != tc.want {
			t.Errorf("combine(%v) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestFormatGolden(t *testing.T) {
	now := time.Date(2026, 12, 1, 13, 4, 5, 0, time.Local)
	s := stats{hits: 1132, misses: 12, dirties: 3, ratio: 98.95104895104895}
	for _, tc := range []struct {
		name string
		cfg  config
	}{
		{"default", config{}},
		{"timestamp", config{timestamp: true}},
		{"json", config{json: true}},
	} {
		var out []byte
		if !tc.cfg.json {
			out = append(out, header(tc.cfg.timestamp)...)
		}
		out = format(out, &tc.cfg, now, s, 212.4, 5121.6)
		out = format(out, &tc.cfg, now, stats{}, 212.4, 5121.6)
		golden.Check(t, tc.name, string(out))
		if tc.cfg.json {
			golden.JSONLines(t, string(out))
		}
	}
}

func TestColumns(t *testing.T) {
	if want := fmt.Sprintf("%8s %8s %8s %8s %12s %10s\n", "HITS", "MISSES", "DIRTIES", "HITRATIO", "BUFFERS_MB", "CACHED_MB"); header(false) != want {
		t.Errorf("header %q want %q", header(false), want)
	}
	got := string(format(nil, &config{}, time.Now(), stats{hits: 5, misses: 6, dirties: 7, ratio: 45.4545}, 12.4, 99.6))
	if want := fmt.Sprintf("%8d %8d %8d %7.2f%% %12.0f %10.0f\n", 5, 6, 7, 45.4545, 12.4, 99.6); got != want {
		t.Errorf("line %q want %q", got, want)
	}
}

func TestMeminfo(t *testing.T) {
	p := filepath.Join(t.TempDir(), "meminfo")
	os.WriteFile(p, []byte("MemTotal:        8000000 kB\nBuffers:          204800 kB\nCached:          1048576 kB\nSwapCached: 0 kB\n"), 0o600)
	if b, c := readMeminfo(p); b != 200 || c != 1024 {
		t.Errorf("buffers %v cached %v", b, c)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"0"}, {"x"}, {"1", "0"}, {"1", "2", "3"}, {"-p", "0"}, {"--bogus"}} {
		tool := livetest.Start(t, Applet, args...)
		status, exited := tool.Exited(10 * time.Second)
		if !exited || status != 2 || len(tool.Stderr()) == 0 {
			t.Errorf("%q: exited %v status %d stderr %q", args, exited, status, tool.Stderr())
		}
	}
}
