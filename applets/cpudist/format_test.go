package cpudist

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/cpudist"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/internal/golden"
)

// TestLayout keeps the hand-written decoder in step with the C struct.
func TestLayout(t *testing.T) {
	var h bpfobj.CpudistCpudistHist
	if n := len(h.Slots); n != maxSlots {
		t.Errorf("%d slots, decoder assumes %d", n, maxSlots)
	}
	if off := unsafe.Offsetof(h.Comm); off != commOff {
		t.Errorf("comm at %d, decoder assumes %d", off, commOff)
	}
	if n := len(h.Comm); n != commLen {
		t.Errorf("comm %d bytes, decoder assumes %d", n, commLen)
	}
	if size := unsafe.Sizeof(h); size != valueSize {
		t.Errorf("struct is %d bytes, decoder assumes %d", size, valueSize)
	}
}

// value builds a hists map value as the BPF program fills it.
func value(comm string, slots map[int]uint32) []byte {
	v := make([]byte, valueSize)
	for i, n := range slots {
		binary.NativeEndian.PutUint32(v[i*4:], n)
	}
	copy(v[commOff:valueSize-1], comm)
	return v
}

func mustEntry(t *testing.T, key uint32, comm string, slots map[int]uint32) entry {
	t.Helper()
	e, err := decodeEntry(key, value(comm, slots))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 11, 25, 13, 4, 5, 0, time.Local)
	all := []entry{mustEntry(t, allKey, "whoever", map[int]uint32{0: 12, 1: 30, 2: 41, 3: 7, 5: 2, 9: 1})}
	split := []entry{
		mustEntry(t, 4242, "sh", map[int]uint32{2: 3, 4: 10, 7: 1}),
		mustEntry(t, 4243, "evil\x1b[31mred", map[int]uint32{0: 1}),
		mustEntry(t, 123456789, "averyveryverylon", map[int]uint32{35: 2}),
	}
	tests := []struct {
		name    string
		cfg     config
		entries [][]entry // one per summary
	}{
		{"default", config{}, [][]entry{all}},
		{"intervals_timestamp", config{timestamp: true}, [][]entry{all, nil, all}},
		{"milliseconds", config{millis: true}, [][]entry{all}},
		{"pids", config{key: keyPID}, [][]entry{split}},
		{"tids_timestamp", config{key: keyTID, timestamp: true}, [][]entry{split}},
		{"offcpu", config{offcpu: true}, [][]entry{all}},
		{"json", config{json: true}, [][]entry{all, nil}},
		{"json_pids_timestamp", config{json: true, key: keyPID, timestamp: true, millis: true}, [][]entry{split}},
		{"json_offcpu", config{json: true, offcpu: true}, [][]entry{all}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPrinter(&tt.cfg)
			p.now = func() time.Time { return fixed }
			var out bytes.Buffer
			for i, es := range tt.entries {
				// the first summary lost 3 waits for want of a key
				dropped := []loader.Dropped{{Bounded: loader.Bounded{Map: "hists"}}, {Bounded: loader.Bounded{Map: "start"}}}
				if i == 0 {
					dropped[0].N = 3
				}
				p.summary(&out, es, dropped)
			}
			golden.Check(t, tt.name, out.String())
			if tt.cfg.json {
				lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
				if len(lines) != len(tt.entries) {
					t.Errorf("%d JSON lines for %d summaries", len(lines), len(tt.entries))
				}
				for _, line := range lines {
					var s jsonSummary
					if err := json.Unmarshal([]byte(line), &s); err != nil {
						t.Errorf("line %q: %v", line, err)
					}
				}
			}
			if bytes.IndexByte(out.Bytes(), 0x1b) >= 0 {
				t.Error("an escape byte reached the output")
			}
		})
	}
}

func TestDecodeShort(t *testing.T) {
	if _, err := decodeEntry(1, make([]byte, valueSize-1)); err == nil {
		t.Fatal("a short value decoded")
	}
	// A comm without its NUL stays within its 16 bytes.
	v := value("", nil)
	copy(v[commOff:], "0123456789abcdef")
	e, err := decodeEntry(1, v)
	if err != nil || string(e.comm) != "0123456789abcdef" {
		t.Fatalf("comm %q, err %v", e.comm, err)
	}
}

// TestUsage: bad values exit 2 before anything is loaded.
func TestUsage(t *testing.T) {
	for _, args := range [][]string{
		{"-P", "-L"}, {"--max-keys", "0"}, {"-O", "x"},
		{"-p", "0"}, {"-p", "-3"}, {"-p", "x"},
		{"0"}, {"x"}, {"1", "0"}, {"1", "x"}, {"1", "2", "3"},
	} {
		tool := livetest.Start(t, Applet, args...)
		status, exited := tool.Exited(wait)
		if !exited || status != 2 {
			t.Errorf("%q: exited %v status %d, want 2", args, exited, status)
			continue
		}
		if errs := tool.Stderr(); len(errs) < 1 {
			t.Errorf("%q: no message", args)
		}
	}
}

func TestHelp(t *testing.T) {
	var b strings.Builder
	Applet.WriteHelp(&b)
	for _, want := range []string{"-O, --offcpu", "-P, --pids", "-L, --tids", "-p, --pid PID", "-c, --cgroup PATH", "--json", "Examples:", "cpudist 1 10", "interval", "count"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, b.String())
		}
	}
}
