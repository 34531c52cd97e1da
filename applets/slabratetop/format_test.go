package slabratetop

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/slabratetop"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var k bpfobj.SlabratetopSlabrateKey
	var v bpfobj.SlabratetopSlabrateVal
	if unsafe.Sizeof(k) != keySize || unsafe.Sizeof(v) != valueSize {
		t.Errorf("key %d val %d", unsafe.Sizeof(k), unsafe.Sizeof(v))
	}
}

func mustRow(t *testing.T, name string, count, size uint64) row {
	k := make([]byte, keySize)
	copy(k, name)
	v := make([]byte, valueSize)
	binary.NativeEndian.PutUint64(v, count)
	binary.NativeEndian.PutUint64(v[8:], size)
	r, err := decodeRow(k, v)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func rows(t *testing.T) []row {
	return []row{
		mustRow(t, "filp", 3020, 3020*256),
		mustRow(t, "kmalloc-4k", 1011, 1011*4096),
		mustRow(t, "dentry", 5000, 5000*192),
		mustRow(t, "evil\x1b[2J", 1, 8),
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
		{"default", config{rows: 20, sort: sortSize}, false},
		{"count_rows2_clear", config{rows: 2, sort: sortCount}, true},
		{"name", config{rows: 20, sort: sortName}, false},
		{"json", config{rows: 20, sort: sortSize, json: true}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPrinter(&tc.cfg)
			p.now = func() time.Time { return fixed }
			p.clear = tc.clear
			var out bytes.Buffer
			p.print(&out, rows(t), load, []loader.Dropped{{Bounded: loader.Bounded{Map: "caches"}}})
			golden.Check(t, tc.name, out.String())
			if tc.cfg.json {
				golden.JSONLines(t, out.String())
			}
		})
	}
}

func TestColumns(t *testing.T) {
	p := newPrinter(&config{rows: 20, sort: sortSize})
	var out bytes.Buffer
	p.print(&out, rows(t)[:1], nil, nil)
	want := fmt.Sprintf("%-32s %6s %10s\n", "CACHE", "ALLOCS", "BYTES") + fmt.Sprintf("%-32s %6d %10d\n\n", "filp", 3020, 3020*256)
	if out.String() != want {
		t.Errorf("got %q want %q", out.String(), want)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"0"}, {"x"}, {"1", "0"}, {"1", "2", "3"}, {"-r", "0"}, {"-s", "bytes"}, {"-p", "0"}, {"--bogus"}} {
		tool := livetest.Start(t, Applet, args...)
		status, exited := tool.Exited(10 * time.Second)
		if !exited || status != 2 || len(tool.Stderr()) == 0 {
			t.Errorf("%q: exited %v status %d stderr %q", args, exited, status, tool.Stderr())
		}
	}
}
