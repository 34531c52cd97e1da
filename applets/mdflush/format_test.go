package mdflush

import (
	"encoding/binary"
	"fmt"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/mdflush"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var e bpfobj.MdflushMdflushEvent
	if unsafe.Sizeof(e) != eventSize || unsafe.Offsetof(e.Comm) != offComm || unsafe.Offsetof(e.Disk) != offDisk {
		t.Errorf("event %d bytes", unsafe.Sizeof(e))
	}
}

func TestFormatGolden(t *testing.T) {
	now := time.Date(2026, 12, 1, 13, 4, 5, 0, time.Local)
	raw := func(pid uint32, comm, disk string) []byte {
		b := make([]byte, eventSize)
		binary.NativeEndian.PutUint32(b, pid)
		copy(b[offComm:offComm+15], comm)
		copy(b[offDisk:offDisk+31], disk)
		return b
	}
	for _, json := range []bool{false, true} {
		var out []byte
		if !json {
			out = append(out, headerLine...)
		}
		for _, s := range [][]byte{raw(7169, "jbd2/md0-8", "md0"), raw(1, "evil\x1b[2J", "md127")} {
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
	if headerLine != fmt.Sprintf("%-8s %-7s %-16s %s\n", "TIME", "PID", "COMM", "DEVICE") {
		t.Errorf("header %q", headerLine)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"1"}, {"--bogus"}} {
		tool := livetest.Start(t, Applet, args...)
		status, exited := tool.Exited(10 * time.Second)
		if !exited || status != 2 || len(tool.Stderr()) == 0 {
			t.Errorf("%q: exited %v status %d stderr %q", args, exited, status, tool.Stderr())
		}
	}
}
