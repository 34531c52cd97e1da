package fileslower

import (
	"encoding/binary"
	"fmt"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/fileslower"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var e bpfobj.FileslowerFileslowerEvent
	if unsafe.Sizeof(e) != eventSize || unsafe.Offsetof(e.Comm) != offComm || unsafe.Offsetof(e.File) != offFile {
		t.Errorf("event %d bytes", unsafe.Sizeof(e))
	}
}

func raw(ts, delta, size uint64, tid uint32, write bool, comm, file string) []byte {
	b := make([]byte, eventSize)
	ne := binary.NativeEndian
	ne.PutUint64(b, ts)
	ne.PutUint64(b[8:], delta)
	ne.PutUint64(b[16:], size)
	ne.PutUint32(b[24:], tid)
	ne.PutUint32(b[28:], tid)
	if write {
		ne.PutUint32(b[32:], 1)
	}
	copy(b[offComm:offComm+15], comm)
	copy(b[offFile:], file)
	return b
}

func TestFormatGolden(t *testing.T) {
	samples := [][]byte{
		raw(5_000_000_000, 12_700_000, 8192, 6925, false, "randread.pl", "data1"),
		raw(5_350_000_000, 16_960_000, 8192, 6925, true, "a-very-long-command-name", "data1"),
		raw(6_000_000_000, 1_000_000, 1, 7, false, "evil\x1b[2J", "x\x1b]0;t\a"),
	}
	for _, json := range []bool{false, true} {
		var out []byte
		if !json {
			out = append(out, headerLine...)
		}
		for _, s := range samples {
			var e event
			if err := e.decode(s); err != nil {
				t.Fatal(err)
			}
			out = format(out, &e, 5_000_000_000, json)
		}
		name := "text"
		if json {
			name = "json"
			golden.JSONLines(t, string(out))
		}
		golden.Check(t, name, string(out))
	}
}

func TestColumns(t *testing.T) {
	var e event
	e.decode(raw(5_000_000_000, 12_700_000, 8192, 6925, false, "randread.pl", "data1"))
	if got, want := string(format(nil, &e, 4_000_000_000, false)), fmt.Sprintf("%-8.3f %-14.14s %-6d %1s %-7d %7.2f %s\n", 1.0, "randread.pl", 6925, "R", 8192, 12.70, "data1"); got != want {
		t.Errorf("got %q want %q", got, want)
	}
	if headerLine != fmt.Sprintf("%-8s %-14s %-6s %1s %-7s %7s %s\n", "TIME(s)", "COMM", "TID", "D", "BYTES", "LAT(ms)", "FILENAME") {
		t.Errorf("header %q", headerLine)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"-1"}, {"x"}, {"1", "2"}, {"-p", "0"}, {"--bogus"}} {
		tool := livetest.Start(t, Applet, args...)
		status, exited := tool.Exited(10 * time.Second)
		if !exited || status != 2 || len(tool.Stderr()) == 0 {
			t.Errorf("%q: exited %v status %d stderr %q", args, exited, status, tool.Stderr())
		}
	}
}
