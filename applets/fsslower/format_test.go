package fsslower

import (
	"encoding/binary"
	"fmt"
	"math"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/fsslower"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var e bpfobj.FsslowerFsslowerEvent
	if unsafe.Sizeof(e) != eventSize || unsafe.Offsetof(e.Comm) != offComm || unsafe.Offsetof(e.File) != offFile {
		t.Errorf("event %d bytes", unsafe.Sizeof(e))
	}
}

func raw(delta uint64, off, size int64, pid, op uint32, comm, file string) []byte {
	b := make([]byte, eventSize)
	ne := binary.NativeEndian
	ne.PutUint64(b, 9_000_000_000)
	ne.PutUint64(b[8:], delta)
	ne.PutUint64(b[16:], uint64(off))
	ne.PutUint64(b[24:], uint64(size))
	ne.PutUint32(b[32:], pid)
	ne.PutUint32(b[36:], op)
	copy(b[offComm:], comm)
	copy(b[offFile:], file)
	return b
}

func TestFormatGolden(t *testing.T) {
	now := time.Date(2026, 12, 1, 13, 4, 5, 0, time.Local)
	samples := [][]byte{
		raw(10_990_000, 65536, 4096, 1216, 0, "postgres", "16384_fsm"),
		raw(52_300_000, 0, 0, 4001, 2, "cat", "passwd"),
		raw(1_023_100_000, 0, math.MaxInt64, 77, 3, "evil\x1b[2J", "x\x1b]0;t\a"),
	}
	for _, tc := range []struct {
		name string
		cfg  config
	}{
		{"text", config{fs: "ext4", minMs: 10}},
		{"csv", config{fs: "ext4", csv: true}},
		{"json", config{fs: "ext4", json: true}},
	} {
		out := tc.cfg.header()
		for _, s := range samples {
			var e event
			if err := e.decode(s); err != nil {
				t.Fatal(err)
			}
			out = format(out, &e, now, &tc.cfg)
		}
		golden.Check(t, tc.name, string(out))
		if tc.cfg.json {
			golden.JSONLines(t, string(out))
		}
	}
}

func TestColumns(t *testing.T) {
	var e event
	e.decode(raw(10_990_000, 65536, 4096, 1216, 0, "postgres", "16384_fsm"))
	now := time.Date(2026, 1, 1, 1, 2, 3, 0, time.Local)
	if got, want := string(format(nil, &e, now, &config{})), fmt.Sprintf("%-8s %-16s %-7d %c %-7d %-8d %7.2f %s\n", "01:02:03", "postgres", 1216, 'R', 4096, 64, 10.99, "16384_fsm"); got != want {
		t.Errorf("got %q want %q", got, want)
	}
	if headerLine != fmt.Sprintf("%-8s %-16s %-7s %1s %-7s %-8s %7s %s\n", "TIME", "COMM", "PID", "T", "BYTES", "OFF_KB", "LAT(ms)", "FILENAME") {
		t.Errorf("header %q", headerLine)
	}
}

func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		a    *applet.Applet
		args []string
	}{
		{Applet, nil}, {Applet, []string{"-t", "zfs"}}, {Applet, []string{"-t", "ext4", "-m", "-1"}},
		{Applet, []string{"-t", "ext4", "-p", "0"}}, {alias("ext4"), []string{"-t", "ext4"}}, {alias("nfs"), []string{"1"}},
	} {
		tool := livetest.Start(t, tc.a, tc.args...)
		status, exited := tool.Exited(10 * time.Second)
		if !exited || status != 2 || len(tool.Stderr()) == 0 {
			t.Errorf("%s %q: exited %v status %d stderr %q", tc.a.Name, tc.args, exited, status, tool.Stderr())
		}
	}
}
