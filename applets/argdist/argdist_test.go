package argdist

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/argdist"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/internal/golden"
)

const wait = 30 * time.Second

func TestLayout(t *testing.T) {
	var h bpfobj.ArgdistArgdistHist
	if len(h.Slots) != 64 || unsafe.Sizeof(h) != 64*8 {
		t.Fatal("argdist_hist layout")
	}
}

func TestParseSpec(t *testing.T) {
	for _, tc := range []struct {
		in    string
		check func(*spec) bool
	}{
		{"p:c:malloc(size_t size):size_t:size", func(s *spec) bool {
			return s.probe == 'p' && s.lib == "c" && s.fn == "malloc" && s.value.kind == srcArg && s.value.arg == 0 && s.value.bits == 64 && !s.value.signed
		}},
		{"p::__kmalloc(u64 size):u64:size", func(s *spec) bool { return s.lib == "" && s.fn == "__kmalloc" }},
		{"p:c:write(int fd, const char *buf, size_t n):int:fd:n>100", func(s *spec) bool {
			return s.value.arg == 0 && s.value.bits == 32 && s.value.signed && s.filter.arg == 2 && s.filterOp == 5 && s.filterLit == 100
		}},
		{"r:c:read():int:$retval:$retval<0", func(s *spec) bool { return s.value.kind == srcRet && s.filterOp == 3 && s.filterLit == 0 }},
		{"r:c:read():int:$retval:0>=$retval", func(s *spec) bool { return s.filterOp == 4 && s.filter.kind == srcRet }},
		{"t:syscalls:sys_enter_read():u64:args->count#reads", func(s *spec) bool {
			return s.value.kind == srcField && s.value.field == "count" && s.label == "reads"
		}},
		{"p:c:malloc()", func(s *spec) bool { return !s.hasValue }},
		{"p:c:getpid():int:$PID", func(s *spec) bool { return s.value.kind == srcPID }},
	} {
		s, err := parseSpec(tc.in)
		if err != nil || !tc.check(s) {
			t.Errorf("%q: %+v, %v", tc.in, s, err)
		}
	}
	for in, col := range map[string]string{
		"x:c:malloc()":                            "column 1",
		"p:c:malloc":                              "column 5",
		"p:c:mall*()":                             "column 5",
		"p:c:malloc(size_t":                       "missing ')'",
		"p:c:malloc(size_t size):char*:size":      "only integer types",
		"p:c:malloc(size_t size):u64:size*2":      "column 29",
		"p:c:malloc(size_t size):u64:$retval":     "only known in a return probe",
		"r:c:malloc(size_t size):u64:size":        "only $retval and $PID",
		"t:syscalls:sys_enter_read(int x):u64:x":  "takes no signature",
		"p:c:malloc(size_t size):u64:size:size~1": "want a filter",
		"p:c:malloc(size_t size):u64:size:1==2":   "one value with a number",
	} {
		_, err := parseSpec(in)
		if err == nil || !strings.Contains(err.Error(), col) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: %v, want one line with %q", in, err, col)
		}
	}
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 11, 25, 13, 4, 5, 0, time.Local)
	counts := []row{{16, 8}, {32, 3}, {5, 8}, {1 << 20, 1}}
	slots := make([]row, 64)
	for i := range slots {
		slots[i] = row{value: uint64(i)}
	}
	slots[4].count, slots[12].count = 10, 5
	neg, _ := parseSpec("r:c:read():int:$retval")
	for _, tc := range []struct {
		name, spec string
		hist, json bool
		top        int
		rows       []row
	}{
		{"count", "p:c:malloc(size_t size):size_t:size", false, false, 0, counts},
		{"count_top", "p:c:malloc(size_t size):size_t:size#sizes", false, false, 2, counts},
		{"hist", "t:syscalls:sys_enter_read():u64:args->count", true, false, 0, slots},
		{"json_count", "p:c:malloc(size_t size):size_t:size", false, true, 0, counts},
		{"json_hist", "t:syscalls:sys_enter_read():u64:args->count", true, true, 0, slots},
		{"signed", neg.text, false, false, 0, []row{{^uint64(0), 2}, {5, 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sp, err := parseSpec(tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			p := &printer{cfg: &config{spec: sp, histogram: tc.hist, json: tc.json, top: tc.top}, now: func() time.Time { return fixed }}
			var out bytes.Buffer
			p.write(&out, append([]row(nil), tc.rows...), nil)
			golden.Check(t, tc.name, out.String())
			if tc.json {
				var v map[string]any
				if err := json.Unmarshal(out.Bytes(), &v); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{
		{}, {"-H", "p:c:malloc()", "-C", "p:c:malloc()"}, {"-C", "nonsense"}, {"-C", "p:c:malloc()", "extra"},
		{"-C", "p:c:malloc()", "-i", "0"}, {"-C", "p:c:malloc()", "-n", "0"}, {"-C", "p:c:malloc()", "-T", "0"},
		{"-C", "t:nosuch:event():u64:args->x"}, {"-C", "t:syscalls:sys_enter_read():u64:args->nosuch"},
		{"-C", "p:/nonexistent:f()"},
	} {
		tool := livetest.Start(t, Applet, args...)
		status, exited := tool.Exited(wait)
		if !exited || status != 2 || len(tool.Stderr()) != 1 {
			t.Errorf("%q: exited %v status %d stderr %q, want 2 and one line", args, exited, status, tool.Stderr())
		}
	}
}

func TestFilterArrow(t *testing.T) {
	s, err := parseSpec("t:syscalls:sys_enter_read():u64:args->count:args->count>=1000")
	if err != nil || s.filter.field != "count" || s.filterOp != 6 || s.filterLit != 1000 {
		t.Fatalf("%+v %v", s, err)
	}
}
