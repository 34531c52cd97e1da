package blockdev

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/cilium/ebpf/btf"
	"github.com/probebox/probebox/core/livetest"
)

func TestMkDev(t *testing.T) {
	dev := MkDev(259, 3)
	if dev != 259<<20|3 || Major(dev) != 259 || Minor(dev) != 3 {
		t.Fatalf("MkDev(259, 3) = %#x -> %d:%d", dev, Major(dev), Minor(dev))
	}
}

// fakeSys builds /sys/dev/block links, /sys/class/block/*/dev files and
// a /proc/partitions under a temporary root.
func fakeSys(t *testing.T) *Names {
	root := t.TempDir()
	sys := filepath.Join(root, "sys")
	for _, d := range []struct{ name, majmin string }{{"sda", "8:0"}, {"loop3", "7:3"}} {
		dir := filepath.Join(sys, "devices", "virtual", "block", d.name)
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, "dev"), []byte(d.majmin+"\n"), 0o644)
		os.MkdirAll(filepath.Join(sys, "dev", "block"), 0o755)
		os.Symlink("../../devices/virtual/block/"+d.name, filepath.Join(sys, "dev", "block", d.majmin))
		os.MkdirAll(filepath.Join(sys, "class", "block"), 0o755)
		os.Symlink("../../devices/virtual/block/"+d.name, filepath.Join(sys, "class", "block", d.name))
	}
	parts := filepath.Join(root, "partitions")
	os.WriteFile(parts, []byte("major minor  #blocks  name\n\n   8        0   20971520 sda\n   8        1   20970496 sda1\n 259        0  1000000 nvme0n1\n"), 0o644)
	return &Names{Sys: sys, Partitions: parts}
}

func TestNames(t *testing.T) {
	n := fakeSys(t)
	for _, tc := range []struct {
		dev  uint32
		name string
		ok   bool
	}{
		{MkDev(8, 0), "sda", true},
		{MkDev(7, 3), "loop3", true},
		{MkDev(8, 1), "sda1", true},      // only in /proc/partitions
		{MkDev(259, 0), "nvme0n1", true}, // only in /proc/partitions
		{MkDev(1, 2), "", false},
	} {
		name, ok := n.Name(tc.dev)
		if name != tc.name || ok != tc.ok {
			t.Errorf("Name(%d:%d) = %q, %v; want %q, %v", Major(tc.dev), Minor(tc.dev), name, ok, tc.name, tc.ok)
		}
	}
	for _, tc := range []struct {
		name string
		dev  uint32
		ok   bool
	}{
		{"loop3", MkDev(7, 3), true},
		{"sda1", MkDev(8, 1), true},
		{"nvme0n1", MkDev(259, 0), true},
		{"nope", 0, false},
		{"", 0, false},
		{"../sda", 0, false},
	} {
		dev, err := n.Lookup(tc.name)
		if dev != tc.dev || (err == nil) != tc.ok {
			t.Errorf("Lookup(%q) = %#x, %v", tc.name, dev, err)
		}
	}
}

// libbpf-tools' numbering (no BTF): the names biolatency -F prints.
func TestFlagsFixed(t *testing.T) {
	f := FlagsFromBTF(nil)
	const sync, meta, prio, idle, fua, preflush, rahead = 1 << 11, 1 << 12, 1 << 13, 1 << 15, 1 << 17, 1 << 18, 1 << 19
	for _, tc := range []struct {
		flags      uint32
		rwbs, name string
	}{
		{0, "R", "Read"},
		{1 | sync | idle, "WS", "Idle-Sync-Write"},
		{0 | rahead, "RA", "ReadAhead-Read"},
		{0 | prio | meta, "RM", "Priority-Metadata-Read"},
		{2 | preflush, "FF", "PreFlush-Flush"},
		{1 | preflush | fua | sync, "FWFS", "PreFlush-FUA-Sync-Write"},
		{3 | sync, "DS", "Sync-Discard"},
		{5, "DE", "SecureErase"},
		{9, "N", "WriteZeroes"},
		{7, "W", "WriteSame"},
		{0xff, "N", "Unknown"},
	} {
		if got := string(f.AppendRWBS(nil, tc.flags)); got != tc.rwbs {
			t.Errorf("rwbs(%#x) = %q, want %q", tc.flags, got, tc.rwbs)
		}
		if got := string(f.AppendName(nil, tc.flags)); got != tc.name {
			t.Errorf("name(%#x) = %q, want %q", tc.flags, got, tc.name)
		}
	}
}

// A 6.x-style numbering: operation 7 is ZONE_APPEND there, and a moved
// flag bit follows the BTF.
func TestFlagsFromEnums(t *testing.T) {
	f := newFlags(
		map[string]uint64{"REQ_OP_READ": 0, "REQ_OP_WRITE": 1, "REQ_OP_ZONE_APPEND": 7, "REQ_OP_ZONE_RESET": 17},
		map[string]uint64{"__REQ_SYNC": 25},
	)
	for _, tc := range []struct {
		flags uint32
		name  string
	}{
		{7, "ZoneAppend"}, {17, "ZoneReset"}, {1 | 1<<25, "Sync-Write"}, {1 | 1<<11, "Write"}, {5, "Unknown"},
	} {
		if got := string(f.AppendName(nil, tc.flags)); got != tc.name {
			t.Errorf("name(%#x) = %q, want %q", tc.flags, got, tc.name)
		}
	}
}

// The running kernel's BTF (when there is one) agrees on the stable ones.
func TestFlagsKernelBTF(t *testing.T) {
	spec, err := btf.LoadKernelSpec()
	if err != nil {
		livetest.Unavailable(t, "no kernel BTF: %v", err)
	}
	f := FlagsFromBTF(spec)
	if got := string(f.AppendName(nil, 1)); got != "Write" {
		t.Errorf("kernel BTF: op 1 is %q", got)
	}
	if RqAfterQueue(spec) {
		t.Log("this kernel passes (q, rq) to block_rq_issue")
	}
}

// specWith builds a BTF spec holding btf_trace_block_rq_issue with params.
func specWith(t *testing.T, params int) *btf.Spec {
	t.Helper()
	ptr := &btf.Pointer{Target: &btf.Void{}}
	fp := &btf.FuncProto{Return: &btf.Void{}}
	for i := 0; i < params; i++ {
		fp.Params = append(fp.Params, btf.FuncParam{Type: ptr})
	}
	var b btf.Builder
	if _, err := b.Add(&btf.Typedef{Name: "btf_trace_block_rq_issue", Type: &btf.Pointer{Target: fp}}); err != nil {
		t.Fatal(err)
	}
	raw, err := b.Marshal(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := btf.LoadSpecFromReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

func TestRqAfterQueue(t *testing.T) {
	if RqAfterQueue(specWith(t, 2)) {
		t.Error("(data, rq) read as (q, rq)")
	}
	if !RqAfterQueue(specWith(t, 3)) {
		t.Error("(data, q, rq) not recognised")
	}
	if RqAfterQueue(nil) {
		t.Error("nil spec")
	}
}
