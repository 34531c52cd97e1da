package memleak

import (
	"bytes"
	"encoding/binary"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/memleak"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/syms"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var a bpfobj.MemleakMemleakAlloc
	if unsafe.Sizeof(a) != valueSize || unsafe.Offsetof(a.TsNs) != 8 || unsafe.Offsetof(a.StackId) != 16 {
		t.Errorf("alloc %d bytes", unsafe.Sizeof(a))
	}
}

func mustAlloc(t *testing.T, addr, size, ts uint64, stack int32) alloc {
	k, v := make([]byte, keySize), make([]byte, valueSize)
	ne := binary.NativeEndian
	ne.PutUint64(k, addr)
	ne.PutUint64(v, size)
	ne.PutUint64(v[8:], ts)
	ne.PutUint32(v[16:], uint32(stack))
	a, err := decodeAlloc(k, v)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestCombine(t *testing.T) {
	as := []alloc{
		mustAlloc(t, 0x30, 4000, 100, 7), mustAlloc(t, 0x10, 4000, 200, 7),
		mustAlloc(t, 0x50, 16, 300, 9),
		mustAlloc(t, 0x60, 1<<20, 900, 11), // too young for -o
		mustAlloc(t, 0x70, 64, 100, -17),   // stack lost
		mustAlloc(t, 0x80, 8, 100, 12),
	}
	cs := combine(as, 1000, 500, 2)
	if len(cs) != 2 || cs[0].stackID != 7 || cs[0].bytes != 8000 || cs[0].nr != 2 || cs[1].stackID != 9 {
		t.Fatalf("combined %+v", cs)
	}
	if cs[0].allocs[0].addr != 0x10 || cs[0].allocs[1].addr != 0x30 {
		t.Errorf("addresses not in order: %+v", cs[0].allocs)
	}
	if got := combine(as, 1000, 0, 10); len(got) != 4 {
		t.Errorf("-o 0 keeps %d stacks, want 4 (the lost stack left out)", len(got))
	}
}

func TestFormatGolden(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 12, 2, 1, 2, 3, 0, time.Local) }
	cs := []combined{
		{stackID: 7, bytes: 200000, nr: 2, allocs: []alloc{{addr: 0x55f36beab2a0, size: 4000}, {addr: 0x55f36beac250, size: 196000}},
			frames: []syms.Frame{
				{Addr: 0x5570904d8186, Name: "pbx_leaky", Offset: 0x1d, Module: "/tmp/leaky", Known: true},
				{Addr: 0x5570904d81c9, Name: "main", Offset: 0x32, Module: "/tmp/leaky", Known: true},
				{Addr: 0x7f8d1479824a, Name: "[unknown]"},
			}},
		{stackID: 9, bytes: 4096, nr: 1, allocs: []alloc{{addr: 0x7f00, size: 4096}}, missed: true},
		{stackID: 3, bytes: 64, nr: 1, allocs: []alloc{{addr: 0x10, size: 64}},
			frames: []syms.Frame{{Addr: 0xffffffff8163bbbb, Name: "evil\x1b[2J", Offset: 0x26b, Kernel: true, Known: true}}},
	}
	dropped := []loader.Dropped{{Bounded: loader.Bounded{Map: "allocs"}}}
	for _, tc := range []struct {
		name       string
		json, show bool
	}{{"text", false, false}, {"text_a", false, true}, {"json_a", true, true}} {
		var b bytes.Buffer
		p := &printer{cfg: &config{json: tc.json, showAllocs: tc.show}, now: now}
		p.summary(&b, cs, dropped)
		p.summary(&b, nil, dropped)
		if tc.json {
			golden.JSONLines(t, b.String())
		}
		golden.Check(t, tc.name, b.String())
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{
		{"0"}, {"1", "0"}, {"1", "2", "3"}, {"-p", "0"}, {"-s", "0"}, {"-T", "0"},
		{"-z", "10", "-Z", "5"}, {"-z", "-1"}, {"-o", "-5"}, {"-O", "libc.so.6"}, {"-p", "4194303"}, {"--bogus"},
	} {
		tool := livetest.Start(t, Applet, args...)
		status, exited := tool.Exited(10 * time.Second)
		if !exited || status != 2 || len(tool.Stderr()) != 1 {
			t.Errorf("%q: exited %v status %d stderr %q", args, exited, status, tool.Stderr())
		}
	}
}
