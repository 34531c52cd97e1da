package filetop

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/filetop"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var k bpfobj.FiletopFiletopKey
	var v bpfobj.FiletopFiletopVal
	if unsafe.Sizeof(k) != keySize || unsafe.Sizeof(v) != valueSize || unsafe.Offsetof(v.Comm) != offComm ||
		unsafe.Offsetof(v.Filename) != offName || len(v.Filename) != nameLen || unsafe.Offsetof(v.Type) != offType {
		t.Errorf("layout: key %d, val %d", unsafe.Sizeof(k), unsafe.Sizeof(v))
	}
}

func mustRow(t *testing.T, tid uint32, comm, name string, typ byte, r, w, rb, wb uint64) row {
	k := make([]byte, keySize)
	ne := binary.NativeEndian
	ne.PutUint64(k, uint64(tid)*7)
	ne.PutUint32(k[16:], tid)
	ne.PutUint32(k[20:], tid)
	v := make([]byte, valueSize)
	ne.PutUint64(v, r)
	ne.PutUint64(v[8:], rb)
	ne.PutUint64(v[16:], w)
	ne.PutUint64(v[24:], wb)
	copy(v[offComm:], comm)
	copy(v[offName:], name)
	v[offType] = typ
	x, err := decodeRow(k, v)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func rows(t *testing.T) []row {
	return []row{
		mustRow(t, 1216, "postgres", "16384_fsm", 'R', 120, 0, 983040, 0),
		mustRow(t, 977, "sshd", "TCP", 'S', 9, 9, 147456, 260),
		mustRow(t, 5, "evil\x1b[2J", "name\x1b]0;x\a", 'R', 1, 1, 1, 1),
		mustRow(t, 31, "dd", "big.img", 'R', 0, 400, 0, 409600*4),
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
		{"sort_reads", config{rows: 20, sort: sortReads}, false},
		{"json", config{rows: 3, json: true}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPrinter(&tc.cfg)
			p.now = func() time.Time { return fixed }
			p.clear = tc.clear
			var out bytes.Buffer
			p.print(&out, rows(t), load, []loader.Dropped{{Bounded: loader.Bounded{Map: "entries"}, N: 2}})
			golden.Check(t, tc.name, out.String())
			if tc.cfg.json {
				golden.JSONLines(t, out.String())
			}
		})
	}
}

func TestColumns(t *testing.T) {
	p := newPrinter(&config{rows: 20})
	var out bytes.Buffer
	p.print(&out, rows(t)[:1], nil, nil)
	want := fmt.Sprintf("%-7s %-16s %-6s %-6s %-7s %-7s %1s %s\n", "TID", "COMM", "READS", "WRITES", "R_Kb", "W_Kb", "T", "FILE") +
		fmt.Sprintf("%-7d %-16s %-6d %-6d %-7d %-7d %c %s\n\n", 1216, "postgres", 120, 0, 960, 0, 'R', "16384_fsm")
	if out.String() != want {
		t.Errorf("got %q\nwant %q", out.String(), want)
	}
}

func TestSortRows(t *testing.T) {
	for by, first := range map[sortBy]string{sortAll: "dd", sortReads: "postgres", sortWrites: "dd", sortRbytes: "postgres", sortWbytes: "dd"} {
		rs := rows(t)
		sortRows(rs, by)
		if string(rs[0].comm) != first {
			t.Errorf("sort %d: %s first, want %s", by, rs[0].comm, first)
		}
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"0"}, {"x"}, {"1", "0"}, {"1", "2", "3"}, {"-r", "0"}, {"-s", "time"}, {"-p", "0"}, {"--bogus"}} {
		tool := livetest.Start(t, Applet, args...)
		status, exited := tool.Exited(10 * time.Second)
		if !exited || status != 2 || len(tool.Stderr()) == 0 {
			t.Errorf("%q: exited %v status %d stderr %q", args, exited, status, tool.Stderr())
		}
	}
}
