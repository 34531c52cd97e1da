package funcslower

import (
	"encoding/binary"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/funcslower"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/internal/golden"
)

const wait = 30 * time.Second

func TestLayout(t *testing.T) {
	var e bpfobj.FuncslowerFuncslowerEvent
	if unsafe.Offsetof(e.Args) != offArgs || unsafe.Offsetof(e.Pid) != offPID || unsafe.Offsetof(e.Comm) != offComm || unsafe.Sizeof(e) != eventSize {
		t.Fatalf("layout: args %d pid %d comm %d size %d", unsafe.Offsetof(e.Args), unsafe.Offsetof(e.Pid), unsafe.Offsetof(e.Comm), unsafe.Sizeof(e))
	}
}

func sample(delta, ret uint64, args []uint64, pid, tid, idx uint32, comm string) []byte {
	b := make([]byte, eventSize)
	ne := binary.NativeEndian
	ne.PutUint64(b, delta)
	ne.PutUint64(b[8:], ret)
	for i, a := range args {
		ne.PutUint64(b[offArgs+8*i:], a)
	}
	ne.PutUint32(b[offPID:], pid)
	ne.PutUint32(b[offPID+4:], tid)
	ne.PutUint32(b[offPID+8:], idx)
	copy(b[offComm:offComm+16], comm)
	return b
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 11, 25, 13, 4, 5, 0, time.Local)
	samples := [][]byte{
		sample(3_590_000, 0, []uint64{3, 0x7ffd1000, 4096}, 11624, 11624, 0, "dd"),
		sample(1_045_000, 0xfffffffffffffff2, nil, 7, 8, 1, "evil\x1b[31mname"),
	}
	names := []string{"vfs_read", "vfs_write"}
	for _, tc := range []struct {
		name string
		cfg  config
	}{
		{"default", config{minNS: 1000000}},
		{"args_clock", config{minNS: 1000000, nargs: 3, clock: true}},
		{"micro_elapsed", config{minNS: 10000, micro: true, elapsed: true}},
		{"json", config{minNS: 1000000, nargs: 2, json: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPrinter(&tc.cfg, names)
			p.now = func() time.Time { return fixed }
			p.start = fixed.Add(-1500 * time.Millisecond)
			var out []byte
			if !tc.cfg.json {
				out = append(out, p.header()...)
			}
			var ev event
			for _, s := range samples {
				if err := ev.decode(s); err != nil {
					t.Fatal(err)
				}
				out = append(out, p.format(&ev)...)
			}
			golden.Check(t, tc.name, string(out))
			if strings.ContainsRune(string(out), 0x1b) {
				t.Error("an escape byte reached the output")
			}
			if tc.cfg.json {
				for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
					var v map[string]any
					if err := json.Unmarshal([]byte(l), &v); err != nil {
						t.Errorf("%q: %v", l, err)
					}
				}
			}
		})
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{
		{}, {"-m", "1", "-u", "1", "vfs_read"}, {"-m", "-1", "vfs_read"}, {"-a", "7", "vfs_read"}, {"-p", "0", "vfs_read"},
		{"t:sched:sched_switch"}, {"a:b:c:d"}, {"a", "b", "c", "d", "e"},
	} {
		tool := livetest.Start(t, Applet, args...)
		status, exited := tool.Exited(wait)
		if !exited || status != 2 || len(tool.Stderr()) != 1 {
			t.Errorf("%q: exited %v status %d stderr %q, want 2 and one line", args, exited, status, tool.Stderr())
		}
	}
}
