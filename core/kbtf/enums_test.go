package kbtf

import (
	"os"
	"testing"

	"github.com/cilium/ebpf/btf"
)

// TestEnumsMatchTheDecoder: the raw walk finds every enumerator the BTF
// decoder finds in this kernel's BTF, with the same value.
func TestEnumsMatchTheDecoder(t *testing.T) {
	if _, err := os.Stat(sysfsPath); err != nil {
		if os.Getenv("PROBEBOX_LIVE") == "1" {
			t.Fatalf("no kernel BTF: %v", err)
		}
		t.Skipf("no kernel BTF: %v", err)
	}
	raw, err := LoadRaw()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	raw.eachEnumerator(func(n []byte, v int64) bool {
		if _, dup := got[string(n)]; !dup {
			got[string(n)] = v
		}
		return true
	})
	spec, err := btf.LoadKernelSpec()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{}
	for typ, err := range spec.All() {
		if err != nil {
			t.Fatal(err)
		}
		var vals []btf.EnumValue
		if e, ok := typ.(*btf.Enum); ok {
			vals = e.Values
		}
		for _, v := range vals {
			if _, dup := want[v.Name]; !dup {
				want[v.Name] = int64(v.Value)
			}
		}
	}
	if len(want) < 1000 {
		t.Fatalf("the decoder found only %d enumerators", len(want))
	}
	for name, v := range want {
		if g, ok := got[name]; !ok || g != v {
			t.Errorf("%s: raw walk %d (found %v), decoder %d", name, g, ok, v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("raw walk %d enumerators, decoder %d", len(got), len(want))
	}
	// Enum, what trace asks, answers from the same walk, and twice alike.
	for _, name := range []string{"TASK_COMM_LEN", "BPF_MAP_TYPE_HASH", "SKB_DROP_REASON_NOT_SPECIFIED", "no_such_enumerator"} {
		for range 2 {
			v, ok := raw.Enum(name)
			if w, wok := want[name]; v != w || ok != wok {
				t.Errorf("Enum(%s) = %d, %v; decoder %d, %v", name, v, ok, w, wok)
			}
		}
	}
}

func TestParseRawRefusesOtherData(t *testing.T) {
	for _, raw := range [][]byte{nil, []byte("not btf at all, not at all"), {0x9f, 0xeb, 1, 0, 24, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}} {
		if _, err := ParseRaw(raw); err == nil {
			t.Errorf("% x: no error", raw)
		}
	}
}
