package loader

import (
	"strings"
	"testing"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/execsnoop"
)

func execsnoopSpec(t *testing.T) *ebpf.CollectionSpec {
	t.Helper()
	spec, err := bpfobj.LoadExecsnoop()
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

func TestKeepPrograms(t *testing.T) {
	spec := execsnoopSpec(t)
	keepPrograms(spec, []string{"tp_enter_execve", "tp_exit_execve"})
	if len(spec.Programs) != 2 || spec.Programs["tp_enter_execve"] == nil || spec.Programs["tp_exit_execve"] == nil {
		t.Fatalf("programs left: %v", spec.Programs)
	}
}

func TestToPerfArray(t *testing.T) {
	spec := execsnoopSpec(t)
	if spec.Maps["events"].Type != ebpf.RingBuf {
		t.Fatalf("events is %v, want a ring buffer by default", spec.Maps["events"].Type)
	}
	toPerfArray(spec)
	m := spec.Maps["events"]
	if m.Type != ebpf.PerfEventArray || m.KeySize != 4 || m.ValueSize != 4 || m.MaxEntries != 0 {
		t.Fatalf("events after fallback: %+v", m)
	}
}

func TestSetConsts(t *testing.T) {
	spec := execsnoopSpec(t)
	if err := setConsts(spec, map[string]any{"filter_uid": uint32(1000), "max_args": int32(5)}); err != nil {
		t.Fatal(err)
	}
	var uid uint32
	if err := spec.Variables["filter_uid"].Get(&uid); err != nil || uid != 1000 {
		t.Fatalf("filter_uid = %d, %v", uid, err)
	}
	err := setConsts(spec, map[string]any{"no_such_filter": true})
	if err == nil || !strings.Contains(err.Error(), "no_such_filter") {
		t.Fatalf("unknown constant: %v", err)
	}
	if err := setConsts(spec, map[string]any{"filter_uid": uint64(1)}); err == nil {
		t.Fatal("a constant of the wrong size was accepted")
	}
}

func TestBufferBytes(t *testing.T) {
	tests := []struct {
		val  string
		want int
		ok   bool
	}{
		{"", 0, true},
		{"4096", 4096, true},
		{"1048576", 1 << 20, true},
		{"5000", 0, false},
		{"1024", 0, false},
		{"lots", 0, false},
		{"1073741824", 1 << 30, true},
		{"2147483648", 0, false},
		{"-4096", 0, false},
	}
	for _, tt := range tests {
		t.Setenv(BufferEnv, tt.val)
		got, err := bufferBytes()
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("%s=%q: %d, %v", BufferEnv, tt.val, got, err)
		}
	}
}

func TestSizeRing(t *testing.T) {
	spec := execsnoopSpec(t)
	sizeRing(spec, 8192)
	if got := spec.Maps["events"].MaxEntries; got != 8192 {
		t.Fatalf("ring size %d", got)
	}
}
