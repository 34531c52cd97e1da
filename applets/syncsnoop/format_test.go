package syncsnoop

import (
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/syncsnoop"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var e bpfobj.SyncsnoopSyncEvent
	if unsafe.Sizeof(e) != eventSize || unsafe.Offsetof(e.Comm) != offComm || unsafe.Offsetof(e.Sys) != 16 {
		t.Errorf("sync_event: %d bytes, comm at %d", unsafe.Sizeof(e), unsafe.Offsetof(e.Comm))
	}
}

func raw(ts uint64, pid, sys uint32, comm string) []byte {
	b := make([]byte, eventSize)
	binary.NativeEndian.PutUint64(b, ts)
	binary.NativeEndian.PutUint32(b[8:], pid)
	binary.NativeEndian.PutUint32(b[12:], pid+1)
	binary.NativeEndian.PutUint32(b[16:], sys)
	copy(b[offComm:], comm)
	return b
}

func TestFormatGolden(t *testing.T) {
	samples := [][]byte{
		raw(16458148611952123, 812, 1, "sync"),
		raw(16458148700000001, 4001, 2, "postgres"),
		raw(5, 1, 6, "evil\x1b[2J"),
		raw(16458149000000000, 77, 99, "x"),
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
			out = format(out, &e, json)
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
	e.decode(raw(16458148611952123, 812, 3, "sync"))
	if got, want := string(format(nil, &e, false)), fmt.Sprintf("%-18s %-16s %s\n", "16458148.611952123", "sync", "fdatasync"); got != want {
		t.Errorf("got %q want %q", got, want)
	}
	if headerLine != fmt.Sprintf("%-18s %-16s %s\n", "TIME(s)", "COMM", "CALL") {
		t.Errorf("header %q", headerLine)
	}
}

func TestDecodeShort(t *testing.T) {
	var e event
	if e.decode(make([]byte, eventSize-1)) == nil {
		t.Fatal("short event decoded")
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

func TestHelp(t *testing.T) {
	var b strings.Builder
	Applet.WriteHelp(&b)
	for _, want := range []string{"-p, --pid PID", "--json", "Examples:", "syncsnoop"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("help lacks %q", want)
		}
	}
}
