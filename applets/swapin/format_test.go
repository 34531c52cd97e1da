package swapin

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/swapin"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var k bpfobj.SwapinSwapinKey
	if unsafe.Sizeof(k) != keySize || unsafe.Offsetof(k.Comm) != 4 {
		t.Errorf("key %d bytes", unsafe.Sizeof(k))
	}
}

func mustRow(t *testing.T, pid uint32, comm string, n uint64) row {
	k := make([]byte, keySize)
	binary.NativeEndian.PutUint32(k, pid)
	copy(k[4:19], comm)
	v := make([]byte, 8)
	binary.NativeEndian.PutUint64(v, n)
	r, err := decode(k, v)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestFormatGolden(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 12, 2, 1, 2, 3, 0, time.Local) }
	rows := func() []row {
		return []row{mustRow(t, 4471, "pbxswapper", 6120), mustRow(t, 1, "systemd", 3), mustRow(t, 66, "evil\x1b[2J", 40)}
	}
	dropped := []loader.Dropped{{Bounded: loader.Bounded{Map: "counts"}}}
	for _, tc := range []struct {
		name         string
		json, notime bool
	}{{"text", false, false}, {"text_notime", false, true}, {"json", true, false}} {
		var b bytes.Buffer
		p := &printer{json: tc.json, notime: tc.notime, now: now}
		p.summary(&b, rows(), dropped)
		p.summary(&b, nil, dropped)
		if tc.json {
			golden.JSONLines(t, b.String())
		}
		golden.Check(t, tc.name, b.String())
	}
}

func TestColumns(t *testing.T) {
	var b bytes.Buffer
	(&printer{notime: true, now: time.Now}).summary(&b, []row{{pid: 4471, comm: []byte("pbxswapper"), count: 61}}, nil)
	want := fmt.Sprintf("%-16s %-6s %s\n%-16s %-6d %d\n\n", "COMM", "PID", "COUNT", "pbxswapper", 4471, 61)
	if b.String() != want {
		t.Errorf("got %q want %q", b.String(), want)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"0"}, {"1", "0"}, {"1", "2", "3"}, {"x"}, {"-p", "0"}, {"--bogus"}} {
		tool := livetest.Start(t, Applet, args...)
		status, exited := tool.Exited(10 * time.Second)
		if !exited || status != 2 || len(tool.Stderr()) != 1 {
			t.Errorf("%q: exited %v status %d stderr %q", args, exited, status, tool.Stderr())
		}
	}
}
