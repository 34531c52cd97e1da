package filelife

import (
	"encoding/binary"
	"fmt"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/filelife"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var e bpfobj.FilelifeFilelifeEvent
	if unsafe.Sizeof(e) != eventSize || unsafe.Offsetof(e.Comm) != offComm || unsafe.Offsetof(e.File) != offFile {
		t.Errorf("event %d bytes", unsafe.Sizeof(e))
	}
}

func raw(age uint64, pid uint32, comm, file string) []byte {
	b := make([]byte, eventSize)
	binary.NativeEndian.PutUint64(b, age)
	binary.NativeEndian.PutUint32(b[8:], pid)
	binary.NativeEndian.PutUint32(b[12:], pid)
	copy(b[offComm:], comm)
	copy(b[offFile:], file)
	return b
}

func TestFormatGolden(t *testing.T) {
	now := time.Date(2026, 12, 1, 13, 4, 5, 0, time.Local)
	samples := [][]byte{raw(14_260_000_000, 4112, "gcc", "ccHEhDl7.s"), raw(1_500_000, 18, "evil\x1b[2J", "x\x1b]0;t\a"), raw(0, 1, "sh", "")}
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
			out = format(out, &e, now, json)
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
	e.decode(raw(14_260_000_000, 4112, "gcc", "ccHEhDl7.s"))
	now := time.Date(2026, 1, 1, 1, 2, 3, 0, time.Local)
	if got, want := string(format(nil, &e, now, false)), fmt.Sprintf("%-8s %-6d %-16s %-7.2f %s\n", "01:02:03", 4112, "gcc", 14.26, "ccHEhDl7.s"); got != want {
		t.Errorf("got %q want %q", got, want)
	}
	if headerLine != fmt.Sprintf("%-8s %-6s %-16s %-7s %s\n", "TIME", "PID", "COMM", "AGE(s)", "FILE") {
		t.Errorf("header %q", headerLine)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"-p", "0"}, {"-p", "x"}, {"1"}, {"--bogus"}} {
		tool := livetest.Start(t, Applet, args...)
		status, exited := tool.Exited(10 * time.Second)
		if !exited || status != 2 || len(tool.Stderr()) == 0 {
			t.Errorf("%q: exited %v status %d stderr %q", args, exited, status, tool.Stderr())
		}
	}
}
