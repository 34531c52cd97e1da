package bitesize

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/bitesize"
	"github.com/probebox/probebox/core/blockdev"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var k bpfobj.BitesizeBitesizeKey
	var h bpfobj.BitesizeBitesizeHist
	if unsafe.Sizeof(k) != keySize || len(h.Slots) != maxSlots || unsafe.Sizeof(h) != valueSize {
		t.Errorf("key %d bytes, hist %d slots %d bytes", unsafe.Sizeof(k), len(h.Slots), unsafe.Sizeof(h))
	}
}

func mustEntry(t *testing.T, comm string, slots map[int]uint32) entry {
	t.Helper()
	k := make([]byte, keySize)
	copy(k, comm)
	v := make([]byte, valueSize)
	for i, n := range slots {
		binary.NativeEndian.PutUint32(v[i*4:], n)
	}
	e, err := decodeEntry(k, v)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 12, 1, 13, 4, 5, 0, time.Local)
	es := []entry{
		mustEntry(t, "fio", map[int]uint32{2: 120, 3: 4, 6: 33}),
		mustEntry(t, "dd", map[int]uint32{0: 1, 10: 7}),
		mustEntry(t, "evil\x1b[2J", map[int]uint32{1: 1}),
	}
	sortEntries(es)
	for _, tc := range []struct {
		name string
		cfg  config
		sums [][]entry
	}{
		{"default", config{}, [][]entry{es}},
		{"intervals_timestamp", config{timestamp: true}, [][]entry{es, nil}},
		{"json", config{json: true}, [][]entry{es, nil}},
		{"json_timestamp", config{json: true, timestamp: true}, [][]entry{es[:1]}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPrinter(&tc.cfg)
			p.now = func() time.Time { return fixed }
			var out bytes.Buffer
			for i, s := range tc.sums {
				dropped := []loader.Dropped{{Bounded: loader.Bounded{Map: "hists"}}, {Bounded: loader.Bounded{Map: "blk_whos"}}}
				if i == 0 {
					dropped[0].N = 2
				}
				p.summary(&out, s, dropped)
			}
			golden.Check(t, tc.name, out.String())
			if tc.cfg.json {
				golden.JSONLines(t, out.String())
			}
		})
	}
}

func TestDecodeShort(t *testing.T) {
	if _, err := decodeEntry(make([]byte, keySize), make([]byte, valueSize-1)); err == nil {
		t.Fatal("a short value decoded")
	}
}

func TestConfigConsts(t *testing.T) {
	c := &config{comm: "fio", disk: "loop3", dev: blockdev.MkDev(7, 3)}
	m := c.consts()
	if m["filter_dev"] != true || m["targ_dev"] != blockdev.MkDev(7, 3) || m["targ_comm"] != [16]byte{'f', 'i', 'o'} {
		t.Errorf("consts %v", m)
	}
	s, err := spec()
	if err != nil {
		t.Fatal(err)
	}
	for name := range m {
		if _, ok := s.Variables[name]; !ok {
			t.Errorf("BPF object has no %s", name)
		}
	}
	if _, ok := s.Maps["events"]; ok {
		t.Error("bitesize keeps the event buffer it never uses")
	}
}

// TestUsage: bad values exit 2 before anything is loaded.
func TestUsage(t *testing.T) {
	for _, args := range [][]string{
		{"0"}, {"x"}, {"1", "0"}, {"1", "2", "3"}, {"-d", "no-such-disk-pbx"}, {"-d", ""}, {"-c", ""}, {"--bogus"},
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
	for _, want := range []string{"-T, --timestamp", "-c, --comm COMM", "-d, --disk DISK", "--json", "Examples:", "bitesize -c fio", "interval", "count"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, b.String())
		}
	}
}
