package readahead

import (
	"bytes"
	"encoding/binary"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/readahead"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var s bpfobj.ReadaheadReadaheadStats
	if unsafe.Sizeof(s) != statsSize || len(s.Slots) != maxSlots {
		t.Errorf("stats %d bytes", unsafe.Sizeof(s))
	}
}

func TestFormatGolden(t *testing.T) {
	b := make([]byte, statsSize)
	binary.NativeEndian.PutUint64(b, 2048)
	binary.NativeEndian.PutUint64(b[8:], 2046)
	binary.NativeEndian.PutUint32(b[16+0*4:], 5)
	binary.NativeEndian.PutUint32(b[16+3*4:], 2000)
	binary.NativeEndian.PutUint32(b[16+6*4:], 41)
	s, err := decodeStats(b)
	if err != nil {
		t.Fatal(err)
	}
	dropped := []loader.Dropped{{Bounded: loader.Bounded{Map: "folios"}, N: 1}}
	for _, json := range []bool{false, true} {
		var out bytes.Buffer
		format(&out, s, json, dropped)
		name := "text"
		if json {
			name = "json"
			golden.JSONLines(t, out.String())
		}
		golden.Check(t, name, out.String())
	}
	if _, err := decodeStats(b[:statsSize-1]); err == nil {
		t.Error("short stats decoded")
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"-d", "-1"}, {"1"}, {"--bogus"}} {
		tool := livetest.Start(t, Applet, args...)
		status, exited := tool.Exited(10 * time.Second)
		if !exited || status != 2 || len(tool.Stderr()) == 0 {
			t.Errorf("%q: exited %v status %d stderr %q", args, exited, status, tool.Stderr())
		}
	}
}
