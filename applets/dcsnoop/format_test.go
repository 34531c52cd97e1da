package dcsnoop

import (
	"encoding/binary"
	"fmt"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/dcsnoop"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var e bpfobj.DcsnoopDcsnoopEvent
	if unsafe.Sizeof(e) != eventSize || unsafe.Offsetof(e.Pid) != offPid || unsafe.Offsetof(e.Tid) != offTid ||
		unsafe.Offsetof(e.Type) != offType || unsafe.Offsetof(e.Comm) != offComm || unsafe.Offsetof(e.Name) != offName ||
		len(e.Name) != nameLen {
		t.Errorf("event %d bytes", unsafe.Sizeof(e))
	}
}

func raw(ts uint64, pid, tid, typ uint32, comm, name string) []byte {
	b := make([]byte, eventSize)
	ne := binary.NativeEndian
	ne.PutUint64(b, ts)
	ne.PutUint32(b[offPid:], pid)
	ne.PutUint32(b[offTid:], tid)
	ne.PutUint32(b[offType:], typ)
	copy(b[offComm:offComm+15], comm)
	copy(b[offName:offName+nameLen-1], name)
	return b
}

func TestFormatGolden(t *testing.T) {
	now := time.Date(2026, 12, 2, 0, 55, 1, 0, time.Local)
	samples := [][]byte{
		raw(1_500_000_000, 1871, 1871, typeReference, "bash", "usr/lib/locale/locale-archive"),
		raw(1_500_010_000, 1871, 1872, typeMiss, "bash", "locale-archive"),
		raw(2_000_000_000, 66, 66, typeMiss, "evil\x1b[2J", "name\nwith\x07escapes"),
	}
	for _, tc := range []struct {
		name            string
		json, timestamp bool
	}{{"text", false, false}, {"text_T", false, true}, {"json", true, false}} {
		p := newPrinter(&config{json: tc.json, timestamp: tc.timestamp}, 1_000_000_000)
		var out []byte
		if !tc.json {
			out = append(out, p.header()...)
		}
		for _, s := range samples {
			var e event
			if err := e.decode(s); err != nil {
				t.Fatal(err)
			}
			out = append(out, p.format(&e, now)...)
		}
		if tc.json {
			golden.JSONLines(t, string(out))
		}
		golden.Check(t, tc.name, string(out))
	}
}

func TestHeader(t *testing.T) {
	want := fmt.Sprintf("%-11s %-7s %-7s %-16s %1s %s\n", "S-TIME(s)", "PID", "TID", "COMM", "T", "FILE")
	if got := string((&printer{}).header()); got != want {
		t.Errorf("header %q, want %q", got, want)
	}
	want = fmt.Sprintf("%-8s %-7s %-7s %-16s %1s %s\n", "TIME(s)", "PID", "TID", "COMM", "T", "FILE")
	if got := string((&printer{timestamp: true}).header()); got != want {
		t.Errorf("-T header %q, want %q", got, want)
	}
	var e event
	e.decode(raw(1_500_000_000, 1871, 1872, typeMiss, "bash", "x"))
	got := string((&printer{start: 1_000_000_000}).format(&e, time.Now()))
	if want := fmt.Sprintf("%-11.6f %-7d %-7d %-16s %c %s\n", 0.5, 1871, 1872, "bash", 'M', "x"); got != want {
		t.Errorf("line %q, want %q", got, want)
	}
}

func TestShort(t *testing.T) {
	var e event
	if err := e.decode(make([]byte, eventSize-1)); err == nil {
		t.Error("short event decoded")
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"1"}, {"-p", "0"}, {"-t", "-3"}, {"-d", "0"}, {"-p", "x"}, {"--bogus"}} {
		tool := livetest.Start(t, Applet, args...)
		status, exited := tool.Exited(10 * time.Second)
		if !exited || status != 2 || len(tool.Stderr()) != 1 {
			t.Errorf("%q: exited %v status %d stderr %q", args, exited, status, tool.Stderr())
		}
	}
}
