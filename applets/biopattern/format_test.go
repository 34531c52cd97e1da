package biopattern

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/biopattern"
	"github.com/probebox/probebox/core/blockdev"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var c bpfobj.BiopatternBiopatternCounter
	if unsafe.Sizeof(c) != valueSize || unsafe.Offsetof(c.Bytes) != 8 || unsafe.Offsetof(c.Sequential) != 16 || unsafe.Offsetof(c.Random) != 20 {
		t.Errorf("counter: %d bytes", unsafe.Sizeof(c))
	}
}

func mustCounter(t *testing.T, dev uint32, seq, rnd uint32, nbytes uint64) counter {
	t.Helper()
	k := make([]byte, keySize)
	binary.NativeEndian.PutUint32(k, dev)
	v := make([]byte, valueSize)
	binary.NativeEndian.PutUint64(v[8:], nbytes)
	binary.NativeEndian.PutUint32(v[16:], seq)
	binary.NativeEndian.PutUint32(v[20:], rnd)
	c, err := decodeCounter(k, v)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func names(dev uint32) (string, bool) {
	switch dev {
	case blockdev.MkDev(7, 0):
		return "loop0", true
	case blockdev.MkDev(254, 0):
		return "vda", true
	}
	return "", false
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 12, 1, 13, 4, 5, 0, time.Local)
	cs := func() []counter {
		return []counter{
			mustCounter(t, blockdev.MkDev(254, 0), 12, 88, 409600),
			mustCounter(t, blockdev.MkDev(7, 0), 100, 0, 409600),
			mustCounter(t, blockdev.MkDev(7, 1), 0, 0, 0), // idle: not shown
			mustCounter(t, blockdev.MkDev(1, 9), 1, 2, 1536),
		}
	}
	for _, tc := range []struct {
		name string
		cfg  config
	}{
		{"default", config{}},
		{"timestamp", config{timestamp: true}},
		{"extended", config{extended: true}},
		{"json", config{json: true, timestamp: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPrinter(&tc.cfg, names)
			p.now = func() time.Time { return fixed }
			var out bytes.Buffer
			if !tc.cfg.json {
				out.WriteString(p.header())
			}
			p.summary(&out, cs(), []loader.Dropped{{Bounded: loader.Bounded{Map: "counters"}, N: 4}})
			p.summary(&out, nil, []loader.Dropped{{Bounded: loader.Bounded{Map: "counters"}}})
			golden.Check(t, tc.name, out.String())
		})
	}
}

// TestRowColumns: a line is libbpf-tools' printf layout.
func TestRowColumns(t *testing.T) {
	p := newPrinter(&config{}, names)
	var out bytes.Buffer
	p.summary(&out, []counter{mustCounter(t, blockdev.MkDev(254, 0), 12, 88, 409600)}, nil)
	if want := fmt.Sprintf("%-7s %5d %5d %8d %10d\n", "vda", 88, 12, 100, 400); out.String() != want {
		t.Errorf("got %q want %q", out.String(), want)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"0"}, {"x"}, {"1", "0"}, {"1", "2", "3"}, {"-d", "no-such-disk-pbx"}, {"-d", ""}, {"--bogus"}} {
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
	for _, want := range []string{"-T, --timestamp", "-d, --disk DISK", "-e, --extended", "--json", "Examples:", "biopattern -d sdc"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, b.String())
		}
	}
}
