package stacks

import (
	"bytes"
	"encoding/binary"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/pprof/profile"

	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/syms"
	"github.com/probebox/probebox/internal/golden"
)

func kf(name, module string) syms.Frame {
	return syms.Frame{Addr: uint64(len(name)) << 8, Name: name, Offset: 0x10, Module: module, Kernel: true, Known: true}
}

func uf(name string, addr uint64) syms.Frame {
	return syms.Frame{Addr: addr, Name: name, Offset: 4, Module: "/usr/bin/app", Known: true}
}

// samples are what a resolver makes of a few counted keys: two threads
// of one process in the same stacks (merged), a lost user stack, a
// kernel thread, and a process name a terminal must not obey.
func samples() []Sample {
	kern := []syms.Frame{kf("finish_task_switch", ""), kf("schedule", ""), kf("ext4_sync_file", "ext4")}
	user := []syms.Frame{uf("main.burn", 0x401010), uf("main.main", 0x401100)}
	return []Sample{
		{PID: 10, TID: 10, Comm: "app", Kernel: kern, User: user, Value: 5},
		{PID: 10, TID: 11, Comm: "app", Kernel: kern, User: user, Value: 7},
		{PID: 10, TID: 11, Comm: "app", Kernel: kern, UserMissed: true, Value: 2},
		{PID: 2, TID: 2, Comm: "kworker/0:1", Kernel: kern[1:], NoUser: true, Value: 3},
		{PID: 30, TID: 30, Comm: "evil\x1b[2J;x", User: []syms.Frame{{Addr: 0x99, Name: syms.Unknown}}, NoKernel: true, Value: 1},
	}
}

func TestTextGolden(t *testing.T) {
	tests := []struct {
		name string
		f    Format
		fold bool
	}{
		{"text", Format{}, false},
		{"text_delimited", Format{Delimiter: true, Frame: syms.FrameFormat{Offset: true, Module: true}}, false},
		{"folded", Format{}, true},
		{"folded_annotated", Format{Delimiter: true, Annotate: true}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			o := Output{Stdout: &b, Format: tt.f, Text: true, Folded: tt.fold}
			if err := o.Write(samples(), nil); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, tt.name, b.String())
		})
	}
}

func TestJSONGolden(t *testing.T) {
	var b bytes.Buffer
	o := Output{Stdout: &b, JSON: true, ValueName: "samples"}
	dropped := []loader.Dropped{{Bounded: loader.Bounded{Map: "counts"}, N: 3}, {Bounded: loader.Bounded{Map: StackMap}, N: 1}}
	if err := o.Write(samples(), dropped); err != nil {
		t.Fatal(err)
	}
	golden.JSONLines(t, b.String())
	golden.Check(t, "json", b.String())
}

// TestFoldedParses: every folded line is "frames count" with no field
// broken by what a process named itself.
func TestFoldedParses(t *testing.T) {
	var b bytes.Buffer
	o := Output{Stdout: &b, Text: true, Folded: true}
	o.Write(samples(), nil)
	line := regexp.MustCompile(`^[^;\n]+(;[^;\n]+)* [0-9]+$`)
	var total int
	for _, l := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		if !line.MatchString(l) {
			t.Errorf("not a folded line: %q", l)
		}
		if strings.ContainsRune(l, 0x1b) {
			t.Errorf("terminal escape in %q", l)
		}
		total++
	}
	if total != 4 { // the two threads' identical stacks are one line
		t.Errorf("%d lines, want 4", total)
	}
}

func TestPprofRoundTrip(t *testing.T) {
	p := Pprof(samples(), PprofMeta{SampleType: "samples", Unit: "count", PeriodType: "cpu", PeriodUnit: "nanoseconds", Period: 1e7, Start: time.Unix(100, 0), Duration: time.Second})
	var b bytes.Buffer
	if err := p.Write(&b); err != nil {
		t.Fatal(err)
	}
	back, err := profile.Parse(&b)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Sample) != 5 || len(back.SampleType) != 2 || back.Period != 1e7 {
		t.Fatalf("%d samples, %d types, period %d", len(back.Sample), len(back.SampleType), back.Period)
	}
	s := back.Sample[1]
	var names []string
	for _, l := range s.Location {
		names = append(names, l.Line[0].Function.Name)
	}
	want := "finish_task_switch schedule ext4_sync_file main.burn main.main app"
	if strings.Join(names, " ") != want || s.NumLabel["tid"][0] != 11 || s.Label["comm"][0] != "app" || s.Value[1] != 7e7 {
		t.Errorf("sample %q, labels %v %v, values %v", names, s.NumLabel, s.Label, s.Value)
	}
	if m := s.Location[2].Mapping; m == nil || m.File != "[ext4]" {
		t.Errorf("module frame mapping %+v", m)
	}
}

func TestFlameGraph(t *testing.T) {
	var b bytes.Buffer
	o := Format{}
	var fs []FlameStack
	for _, s := range o.Merge(samples()) {
		fs = append(fs, FlameStack{Frames: o.Folded(s), Value: s.Value})
	}
	if err := WriteFlameGraph(&b, fs, FlameOptions{Title: "t <&>", Unit: "samples"}); err != nil {
		t.Fatal(err)
	}
	svg := b.String()
	for _, want := range []string{`data-n="main.burn"`, `data-v="12"`, `data-n="all" data-v="18"`, "t &lt;&amp;&gt;", "function zoom", "</svg>"} {
		if !strings.Contains(svg, want) {
			t.Errorf("flame graph lacks %q", want)
		}
	}
	if strings.ContainsRune(svg, 0x1b) {
		t.Error("raw escape in the SVG")
	}
}

func TestDecodeKey(t *testing.T) {
	b := make([]byte, KeySize)
	binary.NativeEndian.PutUint32(b, 7)
	binary.NativeEndian.PutUint32(b[4:], 8)
	binary.NativeEndian.PutUint32(b[8:], uint32(0xfffffff2)) // -EFAULT
	binary.NativeEndian.PutUint32(b[12:], 3)
	copy(b[16:], "sleeper")
	k, err := DecodeKey(b)
	if err != nil || k != (Key{PID: 7, TID: 8, Comm: "sleeper", UserID: -14, KernelID: 3}) {
		t.Errorf("%+v, %v", k, err)
	}
	if _, err := DecodeKey(b[:20]); err == nil {
		t.Error("short key decoded")
	}
}

func TestTrimTracing(t *testing.T) {
	fs := []syms.Frame{{Name: "bpf_prog_abc_sched_switch"}, {Name: "bpf_trace_run4"}, {Name: "__schedule"}, {Name: "schedule"}}
	if got := trimTracing(fs); len(got) != 2 || got[0].Name != "__schedule" {
		t.Errorf("%+v", got)
	}
}

func wakeups() []Wakeup {
	wk := []syms.Frame{kf("try_to_wake_up", ""), kf("pipe_write", "")}
	tk := []syms.Frame{kf("schedule", ""), kf("pipe_read", "")}
	return []Wakeup{
		{Waker: Sample{PID: 5, Comm: "ping", Kernel: wk, User: []syms.Frame{uf("main.write", 0x401000)}},
			Target: Sample{PID: 5, Comm: "pong", Kernel: tk, User: []syms.Frame{uf("main.read", 0x401100)}}, Value: 40},
		{Waker: Sample{PID: 5, Comm: "ping", Kernel: wk, User: []syms.Frame{uf("main.write", 0x401000)}},
			Target: Sample{PID: 5, Comm: "pong", Kernel: tk, User: []syms.Frame{uf("main.read", 0x401100)}}, Value: 2},
		{NoWaker: true, Waker: Sample{NoUser: true, NoKernel: true}, Target: Sample{PID: 6, Comm: "spin", Kernel: tk[:1], NoUser: true}, Value: 7},
	}
}

func TestWakeupGolden(t *testing.T) {
	for _, tt := range []struct {
		name string
		o    WakeupOutput
	}{
		{"offwaketime_text", WakeupOutput{Joined: true}},
		{"offwaketime_folded", WakeupOutput{Joined: true, Folded: true}},
		{"wakeuptime_text", WakeupOutput{Format: Format{Delimiter: true}}},
		{"wakeuptime_folded", WakeupOutput{Folded: true}},
		{"offwaketime_json", WakeupOutput{Joined: true, JSON: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := wakeups()
			if !tt.o.Joined {
				for i := range in {
					in[i].Target.NoUser, in[i].Target.NoKernel = true, true
				}
			}
			var b bytes.Buffer
			tt.o.Write(&b, in, nil)
			if tt.o.JSON {
				golden.JSONLines(t, b.String())
			}
			golden.Check(t, tt.name, b.String())
		})
	}
}
