package vfsstat

import (
	"fmt"
	"github.com/probebox/probebox/core/sysnames"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/internal/golden"
)

func TestFormatGolden(t *testing.T) {
	now := time.Date(2026, 12, 1, 13, 4, 5, 0, time.Local)
	counts := []uint64{15060, 2302, 4, 1650, 12, 9, 1, 1}
	for _, tc := range []struct {
		name string
		cfg  config
	}{
		{"default", config{every: time.Second}},
		{"interval5", config{every: 5 * time.Second}},
		{"json", config{every: time.Second, json: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out []byte
			if !tc.cfg.json {
				out = append(out, header()...)
			}
			out = format(out, &tc.cfg, now, tc.cfg.every, counts)
			out = format(out, &tc.cfg, now, tc.cfg.every, make([]uint64, len(columns)))
			golden.Check(t, tc.name, string(out))
			if tc.cfg.json {
				golden.JSONLines(t, string(out))
			}
		})
	}
}

// TestColumns: libbpf-tools' printf layout.
func TestColumns(t *testing.T) {
	want := fmt.Sprintf("%-8s  ", "TIME")
	for _, c := range columns {
		want += fmt.Sprintf(" %6s/s", c)
	}
	if header() != want+"\n" {
		t.Errorf("header %q, want %q", header(), want)
	}
	line := string(format(nil, &config{every: time.Second}, time.Date(2026, 1, 1, 1, 2, 3, 0, time.Local), time.Second, []uint64{1, 2, 3, 4, 5, 6, 7, 8}))
	want = "01:02:03: "
	for i := 1; i <= 8; i++ {
		want += fmt.Sprintf(" %8d", i)
	}
	if line != want+"\n" {
		t.Errorf("line %q, want %q", line, want)
	}
}

func TestHooks(t *testing.T) {
	if len(functions) != len(columns) || len(Hooks[0].Candidates) != 4 {
		t.Fatal("one vfs function per column, four candidates (fentry, kprobe, the stand-in on raw and tracefs sys_enter)")
	}
	s, err := spec()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range Hooks[0].Candidates {
		for _, a := range c.Attach {
			if _, ok := s.Programs[a.Program]; !ok {
				t.Errorf("no program %s", a.Program)
			}
		}
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

func TestHelp(t *testing.T) {
	var b strings.Builder
	Applet.WriteHelp(&b)
	for _, want := range []string{"-p, --pid PID", "--json", "Examples:", "vfsstat 5 10"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("help lacks %q", want)
		}
	}
}

// TestSysTable: the stand-in counts the vectored calls with the plain
// ones, and a regular file's mknod as CREATE.
func TestSysTable(t *testing.T) {
	tab := sysTable()
	for sys, want := range map[string][2]uint8{"readv": {0, 0}, "pwrite64": {1, 1}, "fdatasync": {2, 2}, "mkdirat": {6, 6}} {
		nr, _ := sysnames.Number(sys)
		if e := tab[nr]; e.Slot != want[0] {
			t.Errorf("%s: slot %d, want %d (%s)", sys, e.Slot, want[1], columns[want[1]])
		}
	}
	nr, _ := sysnames.Number("mknodat")
	if e := tab[nr]; e.Alt != 4 || columns[e.Alt] != "CREATE" {
		t.Errorf("mknodat: %+v", e)
	}
}
