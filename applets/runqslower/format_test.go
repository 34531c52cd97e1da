package runqslower

import (
	"encoding/binary"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/runqslower"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/internal/golden"
)

// TestLayout keeps the hand-written decoder in step with the C struct.
func TestLayout(t *testing.T) {
	var e bpfobj.RunqslowerRunqslowerEvent
	if off := unsafe.Offsetof(e.Task); off != offTask {
		t.Errorf("task at %d, decoder assumes %d", off, offTask)
	}
	if off := unsafe.Offsetof(e.PrevTask); off != offPrevTask {
		t.Errorf("prev_task at %d, decoder assumes %d", off, offPrevTask)
	}
	if off := unsafe.Offsetof(e.Cpu); off != 20 {
		t.Errorf("cpu at %d, decoder assumes 20", off)
	}
	if size := unsafe.Sizeof(e); size != eventSize {
		t.Errorf("event is %d bytes, decoder assumes %d", size, eventSize)
	}
}

func sample(delta uint64, tid, tgid, prev, cpu uint32, comm, prevComm string) []byte {
	b := make([]byte, eventSize)
	ne := binary.NativeEndian
	ne.PutUint64(b, delta)
	ne.PutUint32(b[8:], tid)
	ne.PutUint32(b[12:], tgid)
	ne.PutUint32(b[16:], prev)
	ne.PutUint32(b[20:], cpu)
	copy(b[offTask:offTask+commLen], comm)
	copy(b[offPrevTask:offPrevTask+commLen], prevComm)
	return b
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 11, 25, 13, 4, 5, 0, time.Local)
	samples := [][]byte{
		sample(10234, 4242, 4240, 17, 0, "worker", "kworker/0:1"),
		sample(123456789, 7, 7, 0, 1, "evil\x1b[31mred", "swapper/1"),
		sample(20001, 1234567, 1234560, 4242, 1, "averyveryverylongname", "x\ny"),
	}
	for _, tc := range []struct {
		name string
		cfg  config
	}{
		{"default", config{minUS: defaultMinUS}},
		{"previous", config{minUS: 500, previous: true}},
		{"json", config{minUS: defaultMinUS, json: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPrinter(&tc.cfg)
			p.now = func() time.Time { return fixed }
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
					var e jsonEvent
					if err := json.Unmarshal([]byte(l), &e); err != nil {
						t.Errorf("%q: %v", l, err)
					}
				}
			}
		})
	}
}

func TestDecodeShort(t *testing.T) {
	var e event
	if err := e.decode(make([]byte, eventSize-1)); err == nil {
		t.Fatal("a short event decoded")
	}
}

// TestUsage: bad values exit 2 before anything is loaded.
func TestUsage(t *testing.T) {
	for _, args := range [][]string{
		{"-p", "0"}, {"-p", "-3"}, {"-t", "0"}, {"-t", "x"}, {"x"}, {"-5"}, {"10", "20"},
	} {
		tool := livetest.Start(t, Applet, args...)
		status, exited := tool.Exited(wait)
		if !exited || status != 2 || len(tool.Stderr()) < 1 {
			t.Errorf("%q: exited %v status %d stderr %q, want 2 and a message", args, exited, status, tool.Stderr())
		}
	}
}

func TestHelp(t *testing.T) {
	var b strings.Builder
	Applet.WriteHelp(&b)
	for _, want := range []string{"-p, --pid PID", "-t, --tid TID", "-P, --previous", "min_us", "Examples:", "runqslower 1000"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, b.String())
		}
	}
}
