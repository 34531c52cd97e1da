package biotop

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/biotop"
	"github.com/probebox/probebox/core/blockdev"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/top"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var k bpfobj.BiotopBiotopKey
	var v bpfobj.BiotopBiotopVal
	if unsafe.Sizeof(k) != keySize || unsafe.Offsetof(k.Comm) != 12 {
		t.Errorf("key %d bytes, comm at %d", unsafe.Sizeof(k), unsafe.Offsetof(k.Comm))
	}
	if unsafe.Sizeof(v) != valueSize || unsafe.Offsetof(v.Us) != 8 || unsafe.Offsetof(v.Io) != 16 {
		t.Errorf("val %d bytes", unsafe.Sizeof(v))
	}
}

func mustRow(t *testing.T, pid uint32, comm string, dev uint32, write bool, nbytes, us uint64, io uint32) row {
	t.Helper()
	k := make([]byte, keySize)
	ne := binary.NativeEndian
	ne.PutUint32(k, pid)
	ne.PutUint32(k[4:], dev)
	if write {
		ne.PutUint32(k[8:], 1)
	}
	copy(k[12:], comm)
	v := make([]byte, valueSize)
	ne.PutUint64(v, nbytes)
	ne.PutUint64(v[8:], us)
	ne.PutUint32(v[16:], io)
	r, err := decodeRow(k, v)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func names(dev uint32) (string, bool) {
	if dev == blockdev.MkDev(7, 0) {
		return "loop0", true
	}
	if dev == blockdev.MkDev(254, 0) {
		return "vda", true
	}
	return "", false
}

func rows(t *testing.T) []row {
	loop, vda := blockdev.MkDev(7, 0), blockdev.MkDev(254, 0)
	return []row{
		mustRow(t, 14211, "dd", loop, true, 40960, 3100, 10),
		mustRow(t, 14211, "dd", loop, false, 655360, 1200, 10),
		mustRow(t, 812, "jbd2/vda1-8", vda, true, 4096, 120000, 2),
		mustRow(t, 99, "evil\x1b[2J", blockdev.MkDev(1, 5), false, 512, 5, 1),
	}
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 12, 1, 13, 8, 24, 0, time.Local)
	load := []byte("0.80 0.62 0.55 2/483 14212")
	for _, tc := range []struct {
		name  string
		cfg   config
		clear bool
	}{
		{"default", config{rows: 20}, false},
		{"clear_rows2", config{rows: 2}, true},
		{"sort_io", config{rows: 20, sort: sortIO}, false},
		{"sort_time", config{rows: 20, sort: sortTime}, false},
		{"json", config{rows: 3, json: true}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPrinter(&tc.cfg, names)
			p.now = func() time.Time { return fixed }
			p.clear = tc.clear
			var out bytes.Buffer
			p.print(&out, rows(t), load, []loader.Dropped{{Bounded: loader.Bounded{Map: "counts"}, N: 1}})
			p.print(&out, nil, nil, []loader.Dropped{{Bounded: loader.Bounded{Map: "counts"}}})
			golden.Check(t, tc.name, out.String())
			if tc.cfg.json {
				golden.JSONLines(t, out.String())
			}
		})
	}
}

// TestRowColumns: a row is libbpf-tools' printf layout.
func TestRowColumns(t *testing.T) {
	p := newPrinter(&config{rows: 20}, names)
	var out bytes.Buffer
	p.print(&out, rows(t)[:1], nil, nil)
	want := fmt.Sprintf("%-7s %-16s %1s %-3s %-3s %-8s %5s %7s %6s\n", "PID", "COMM", "D", "MAJ", "MIN", "DISK", "I/O", "Kbytes", "AVGms") +
		fmt.Sprintf("%-7d %-16s %1s %-3d %-3d %-8s %5d %7d %6.2f\n\n", 14211, "dd", "W", 7, 0, "loop0", 10, 40, 0.31)
	if out.String() != want {
		t.Errorf("got\n%q\nwant\n%q", out.String(), want)
	}
}

func TestSortRows(t *testing.T) {
	for by, first := range map[sortBy]string{sortAll: "dd", sortIO: "dd", sortBytes: "dd", sortTime: "jbd2/vda1-8"} {
		rs := rows(t)
		sortRows(rs, by)
		if string(rs[0].comm) != first {
			t.Errorf("sort %d: first %s, want %s", by, rs[0].comm, first)
		}
	}
}

func TestLoadavgLine(t *testing.T) {
	got := string(top.AppendLoadavgLine(nil, time.Date(2026, 1, 1, 1, 2, 3, 0, time.Local), []byte("1 2 3")))
	if got != "01:02:03 loadavg: 1 2 3\n\n" {
		t.Errorf("%q", got)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{
		{"0"}, {"x"}, {"1", "0"}, {"1", "2", "3"}, {"-r", "0"}, {"-r", "x"}, {"-s", "name"}, {"-p", "0"}, {"-p", "x"}, {"--bogus"},
	} {
		tool := livetest.Start(t, Applet, args...)
		status, exited := tool.Exited(10 * time.Second)
		if !exited || status != 2 || len(tool.Stderr()) == 0 {
			t.Errorf("%q: exited %v status %d stderr %q, want 2 and a message", args, exited, status, tool.Stderr())
		}
	}
}

func TestHelp(t *testing.T) {
	var b strings.Builder
	Applet.WriteHelp(&b)
	for _, want := range []string{"-C, --noclear", "-r, --rows ROWS", "-s, --sort SORT", "-p, --pid PID", "--json", "Examples:", "biotop 5 10"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, b.String())
		}
	}
}
