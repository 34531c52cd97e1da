package syms

import (
	"os"
	"testing"
)

// KernelDataAddress finds what the code-only table finds, at the same
// address (data symbols are only listed with CONFIG_KALLSYMS_ALL, which
// the test cannot count on), and nothing for a name no kernel has.
func TestKernelDataAddress(t *testing.T) {
	if os.Geteuid() != 0 {
		if os.Getenv("PROBEBOX_LIVE") == "1" {
			t.Fatal("PROBEBOX_LIVE=1 but not root: kallsyms addresses need root")
		}
		t.Skip("kallsyms addresses need root")
	}
	k, err := LoadKernel()
	if err != nil {
		t.Fatal(err)
	}
	want, ok := k.Address("schedule")
	if !ok {
		t.Fatal("no schedule in kallsyms")
	}
	if got, ok, err := KernelDataAddress("schedule"); err != nil || !ok || got != want {
		t.Errorf("schedule: %#x, %v, %v; want %#x", got, ok, err, want)
	}
	if _, ok, err := KernelDataAddress("pbx_no_such_symbol"); ok || err != nil {
		t.Errorf("pbx_no_such_symbol found (%v, %v)", ok, err)
	}
}
