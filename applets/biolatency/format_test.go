package biolatency

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/biolatency"
	"github.com/probebox/probebox/core/blockdev"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/internal/golden"
)

// TestLayout keeps the hand-written decoder in step with the C structs.
func TestLayout(t *testing.T) {
	var k bpfobj.BiolatencyBiolatencyKey
	var h bpfobj.BiolatencyBiolatencyHist
	if unsafe.Sizeof(k) != keySize || unsafe.Offsetof(k.CmdFlags) != 4 {
		t.Errorf("key: %d bytes, cmd_flags at %d", unsafe.Sizeof(k), unsafe.Offsetof(k.CmdFlags))
	}
	if len(h.Slots) != maxSlots || unsafe.Sizeof(h) != valueSize {
		t.Errorf("hist: %d slots, %d bytes", len(h.Slots), unsafe.Sizeof(h))
	}
}

func mustEntry(t *testing.T, dev, flags uint32, slots map[int]uint32) entry {
	t.Helper()
	k := make([]byte, keySize)
	binary.NativeEndian.PutUint32(k, dev)
	binary.NativeEndian.PutUint32(k[4:], flags)
	v := make([]byte, valueSize)
	for i, n := range slots {
		binary.NativeEndian.PutUint32(v[i*4:], n)
	}
	e, err := decodeEntry(k, v)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

const (
	sync   = 1 << 11
	meta   = 1 << 12
	prio   = 1 << 13
	idle   = 1 << 15
	rahead = 1 << 19
)

func names(dev uint32) (string, bool) {
	switch dev {
	case blockdev.MkDev(7, 0):
		return "loop0", true
	case blockdev.MkDev(254, 0):
		return "vda", true
	}
	return "", false
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 11, 25, 13, 4, 5, 0, time.Local)
	all := []entry{mustEntry(t, 0, 0, map[int]uint32{6: 583, 7: 32, 8: 9, 9: 1})}
	loop, vda := blockdev.MkDev(7, 0), blockdev.MkDev(254, 0)
	disks := []entry{
		mustEntry(t, loop, 0, map[int]uint32{2: 1, 3: 1, 4: 1}),
		mustEntry(t, vda, 0, map[int]uint32{7: 5, 8: 1}),
		mustEntry(t, blockdev.MkDev(1, 99), 0, map[int]uint32{0: 1}),
	}
	flags := []entry{
		mustEntry(t, 0, 0|rahead, map[int]uint32{0: 1}),
		mustEntry(t, 0, 1, map[int]uint32{0: 1}),
		mustEntry(t, 0, 0|prio|meta, map[int]uint32{0: 2}),
		mustEntry(t, 0, 3|sync, map[int]uint32{0: 2}),
	}
	both := []entry{
		mustEntry(t, loop, 0|sync, map[int]uint32{2: 1, 3: 1, 4: 1}),
		mustEntry(t, loop, 1|sync|idle, map[int]uint32{2: 2, 3: 1, 5: 1}),
		mustEntry(t, vda, 0xff, map[int]uint32{26: 1}),
	}
	for _, tc := range []struct {
		name    string
		cfg     config
		entries [][]entry // one per summary
	}{
		{"default", config{}, [][]entry{all}},
		{"intervals_timestamp", config{timestamp: true}, [][]entry{all, nil, all}},
		{"milliseconds", config{millis: true}, [][]entry{all}},
		{"disks", config{perDisk: true}, [][]entry{disks}},
		{"flags", config{perFlag: true, millis: true}, [][]entry{flags}},
		{"disks_flags_timestamp", config{perDisk: true, perFlag: true, timestamp: true}, [][]entry{both}},
		{"json", config{json: true}, [][]entry{all, nil}},
		{"json_disks_flags_timestamp", config{json: true, perDisk: true, perFlag: true, timestamp: true}, [][]entry{both}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPrinter(&tc.cfg, names, blockdev.FlagsFromBTF(nil))
			p.now = func() time.Time { return fixed }
			var out bytes.Buffer
			for i, es := range tc.entries {
				sortEntries(es)
				// the first summary lost 3 requests for want of a key
				dropped := []loader.Dropped{{Bounded: loader.Bounded{Map: "hists"}}, {Bounded: loader.Bounded{Map: "starts"}}}
				if i == 0 {
					dropped[0].N = 3
				}
				p.summary(&out, es, dropped)
			}
			golden.Check(t, tc.name, out.String())
			if tc.cfg.json {
				lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
				if len(lines) != len(tc.entries) {
					t.Errorf("%d JSON lines for %d summaries", len(lines), len(tc.entries))
				}
				for _, line := range lines {
					var s jsonSummary
					if err := json.Unmarshal([]byte(line), &s); err != nil {
						t.Errorf("line %q: %v", line, err)
					}
				}
			}
		})
	}
}

func TestSortEntries(t *testing.T) {
	es := []entry{{dev: 9, cmdFlags: 1}, {dev: 1, cmdFlags: 5}, {dev: 9, cmdFlags: 0}, {dev: 1 << 31}}
	sortEntries(es)
	for i := 1; i < len(es); i++ {
		a, b := es[i-1], es[i]
		if a.dev > b.dev || a.dev == b.dev && a.cmdFlags > b.cmdFlags {
			t.Fatalf("not sorted: %+v", es)
		}
	}
}

func TestDecodeShort(t *testing.T) {
	if _, err := decodeEntry(make([]byte, keySize), make([]byte, valueSize-1)); err == nil {
		t.Fatal("a short value decoded")
	}
	if _, err := decodeEntry(make([]byte, keySize-1), make([]byte, valueSize)); err == nil {
		t.Fatal("a short key decoded")
	}
}

// TestUsage: bad values exit 2 before anything is loaded.
func TestUsage(t *testing.T) {
	for _, args := range [][]string{
		{"0"}, {"x"}, {"1", "0"}, {"1", "x"}, {"1", "2", "3"},
		{"-d", "no-such-disk-pbx"}, {"-d", ""}, {"--bogus"}, {"--max-keys", "0"}, {"--max-keys", "1048577"},
	} {
		tool := livetest.Start(t, Applet, args...)
		status, exited := tool.Exited(10 * time.Second)
		if !exited || status != 2 {
			t.Errorf("%q: exited %v status %d, want 2", args, exited, status)
			continue
		}
		if len(tool.Stderr()) == 0 {
			t.Errorf("%q: no message", args)
		}
	}
}

func TestConfigConsts(t *testing.T) {
	c := &config{disk: "loop3", dev: blockdev.MkDev(7, 3), queued: true, perDisk: true, perFlag: true, millis: true}
	m := c.consts()
	for k, want := range map[string]any{"filter_dev": true, "targ_dev": blockdev.MkDev(7, 3), "targ_queued": true, "targ_per_disk": true, "targ_per_flag": true, "targ_ms": true} {
		if m[k] != want {
			t.Errorf("%s = %v, want %v", k, m[k], want)
		}
	}
	spec, err := spec(defaultKeys)()
	if err != nil {
		t.Fatal(err)
	}
	for name := range m {
		if _, ok := spec.Variables[name]; !ok {
			t.Errorf("BPF object has no %s", name)
		}
	}
	if _, ok := spec.Variables["rq_after_q"]; !ok {
		t.Error("BPF object has no rq_after_q")
	}
	if _, ok := spec.Maps["events"]; ok {
		t.Error("biolatency keeps the event ring buffer it never uses")
	}
}

func TestHelp(t *testing.T) {
	var b strings.Builder
	Applet.WriteHelp(&b)
	for _, want := range []string{"-T, --timestamp", "-m, --milliseconds", "-Q, --queued", "-D, --disks", "-F, --flags", "-d, --disk DISK", "-c, --cgroup PATH", "--json", "Examples:", "biolatency 1 10", "biolatency -mT 1", "interval", "count"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, b.String())
		}
	}
}
