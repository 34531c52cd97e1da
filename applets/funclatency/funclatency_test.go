package funclatency

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/funclatency"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/internal/funcs"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var h bpfobj.FunclatencyFunclatHist
	var v histValue
	if unsafe.Sizeof(h) != unsafe.Sizeof(v) || unsafe.Offsetof(h.Count) != unsafe.Offsetof(v.Count) || len(h.Slots) != maxSlots {
		t.Fatalf("funclat_hist: %d bytes, count at %d; decoder %d, %d", unsafe.Sizeof(h), unsafe.Offsetof(h.Count), unsafe.Sizeof(v), unsafe.Offsetof(v.Count))
	}
	var s bpfobj.FunclatencyFunclatStack
	if len(s.Ts) != maxLevel {
		t.Fatalf("%d levels, decoder assumes %d", len(s.Ts), maxLevel)
	}
}

func mk(name string, slots map[int]uint64, total uint64) fnHist {
	h := fnHist{name: name}
	for i, n := range slots {
		h.Slots[i] = n
		h.Count += n
	}
	h.Total = total
	return h
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 11, 25, 13, 4, 5, 0, time.Local)
	one := []fnHist{mk("", map[int]uint64{2: 20, 3: 1}, 110)}
	per := []fnHist{mk("vfs_read", map[int]uint64{10: 5}, 5500), mk("evil\x1b[31m", map[int]uint64{1: 1}, 2)}
	for _, tc := range []struct {
		name string
		cfg  config
		hs   []fnHist
	}{
		{"msecs", config{unitNS: 1000000}, one},
		{"nsecs_timestamp", config{unitNS: 1, timestamp: true}, one},
		{"per_function", config{unitNS: 1000, perFunc: true}, per},
		{"json", config{unitNS: 1000, perFunc: true, json: true}, per},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &printer{cfg: &tc.cfg, now: func() time.Time { return fixed }}
			var out bytes.Buffer
			p.write(&out, tc.hs, []loader.Dropped{{Bounded: loader.Bounded{Map: "start"}}})
			p.write(&out, nil, nil)
			golden.Check(t, tc.name, out.String())
			if bytes.IndexByte(out.Bytes(), 0x1b) >= 0 {
				t.Error("an escape byte reached the output")
			}
			if tc.cfg.json {
				for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
					var v jsonSummary
					if err := json.Unmarshal([]byte(l), &v); err != nil {
						t.Errorf("%q: %v", l, err)
					}
				}
			}
		})
	}
}

// fakeKernel answers plan's questions without a kernel.
type fakeKernel struct{ fentry bool }

func (k fakeKernel) Supports(kind attach.Kind) error {
	if kind == attach.Fentry && !k.fentry {
		return errNo
	}
	return nil
}
func (fakeKernel) HasTarget(attach.Attachment) error { return nil }

type errString string

func (e errString) Error() string { return string(e) }

const errNo = errString("no fentry")

func TestPlan(t *testing.T) {
	kern := &config{spec: funcs.Spec{Kind: funcs.Kernel}}
	user := &config{spec: funcs.Spec{Kind: funcs.User}}
	one := []funcs.Target{{Name: "vfs_read"}}
	for _, tc := range []struct {
		cfg     *config
		targets []funcs.Target
		k       fakeKernel
		want    string
	}{
		{kern, one, fakeKernel{fentry: true}, "entry_fentry"},
		{kern, one, fakeKernel{}, "entry_kprobe"},
		{kern, []funcs.Target{{Name: "f.isra.0"}}, fakeKernel{fentry: true}, "entry_kprobe"},
		{kern, []funcs.Target{{Name: "a"}, {Name: "b"}}, fakeKernel{fentry: true}, "entry_kprobe"},
		{user, one, fakeKernel{fentry: true}, "entry_uprobe"},
	} {
		if got, _, why := plan(tc.cfg, tc.targets, tc.k); got != tc.want {
			t.Errorf("%+v: %s (%s), want %s", tc.targets, got, why, tc.want)
		}
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{
		{}, {"a", "b"}, {"-u", "-m", "vfs_read"}, {"-p", "0", "vfs_read"}, {"-l", "0", "vfs_read"}, {"-l", "9", "vfs_read"},
		{"-i", "0", "vfs_read"}, {"t:sched:sched_switch"}, {"a:b:c:d"}, {"/nonexistent/bin:main"},
	} {
		tool := livetest.Start(t, Applet, args...)
		status, exited := tool.Exited(wait)
		if !exited || status != 2 || len(tool.Stderr()) != 1 {
			t.Errorf("%q: exited %v status %d stderr %q, want 2 and one line", args, exited, status, tool.Stderr())
		}
	}
}

func TestHelp(t *testing.T) {
	var b strings.Builder
	Applet.WriteHelp(&b)
	for _, want := range []string{"-u, --microseconds", "-m, --milliseconds", "-F, --function", "-l, --level LEVEL", "-p, --pid PID", "Examples:"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, b.String())
		}
	}
}
