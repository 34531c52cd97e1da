package fsdist

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/fsdist"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var h bpfobj.FsdistFsdistHist
	if len(h.Slots) != maxSlots || unsafe.Sizeof(h) != maxSlots*4 {
		t.Errorf("hist %d slots", len(h.Slots))
	}
}

func hists() [][]uint64 {
	h := make([][]uint64, 5)
	for i := range h {
		h[i] = make([]uint64, maxSlots)
	}
	h[0][3], h[0][4], h[0][9] = 120, 40, 1
	h[3][12] = 2
	return h
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 12, 1, 13, 4, 5, 0, time.Local)
	for _, tc := range []struct {
		name string
		cfg  config
	}{
		{"default", config{fs: "ext4"}},
		{"ms_timestamp", config{fs: "xfs", millis: true, timestamp: true}},
		{"json", config{fs: "ext4", json: true}},
	} {
		p := newPrinter(&tc.cfg)
		p.now = func() time.Time { return fixed }
		var out bytes.Buffer
		p.summary(&out, hists(), []loader.Dropped{{Bounded: loader.Bounded{Map: "fs_starts"}}})
		p.summary(&out, make([][]uint64, 5), []loader.Dropped{{Bounded: loader.Bounded{Map: "fs_starts"}}})
		golden.Check(t, tc.name, out.String())
		if tc.cfg.json {
			golden.JSONLines(t, out.String())
		}
	}
}

func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		a    *applet.Applet
		args []string
	}{
		{Applet, nil}, {Applet, []string{"-t", "zfs"}}, {Applet, []string{"-t", "ext4", "0"}},
		{Applet, []string{"-t", "ext4", "-p", "0"}}, {alias("ext4"), []string{"-t", "ext4"}}, {alias("xfs"), []string{"1", "2", "3"}},
	} {
		tool := livetest.Start(t, tc.a, tc.args...)
		status, exited := tool.Exited(10 * time.Second)
		if !exited || status != 2 || len(tool.Stderr()) == 0 {
			t.Errorf("%s %q: exited %v status %d stderr %q", tc.a.Name, tc.args, exited, status, tool.Stderr())
		}
	}
}

func TestAliases(t *testing.T) {
	for _, name := range []string{"ext4dist", "xfsdist", "btrfsdist", "nfsdist"} {
		a, ok := applet.Lookup(name)
		if !ok {
			t.Errorf("%s not registered", name)
			continue
		}
		fs := strings.TrimSuffix(name, "dist")
		if a.Hooks[0].Name != fs+" operations" {
			t.Errorf("%s hooks %s", name, a.Hooks[0].Name)
		}
	}
}
