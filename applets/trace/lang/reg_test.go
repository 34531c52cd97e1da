package lang

import (
	"strings"
	"testing"
)

// TestRegNamesPerArch: reg() takes each architecture's own names, as
// bpftrace does: "ip" and "ax" on amd64, "r0".."r30", "sp", "pc" on
// arm64; the other's are refused in one line.
func TestRegNamesPerArch(t *testing.T) {
	for _, c := range []struct {
		arch, reg string
		ok        bool
	}{
		{"amd64", "ip", true}, {"amd64", "ax", true}, {"amd64", "r0", false},
		{"arm64", "r0", true}, {"arm64", "r30", true}, {"arm64", "pc", true}, {"arm64", "sp", true},
		{"arm64", "r31", false}, {"arm64", "ip", false},
	} {
		prog, err := Parse("x", `uprobe:/bin/sh:main { @[reg("`+c.reg+`")] = count(); }`)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Compile(prog, newFakeEnv(), Options{Arch: c.arch})
		if (err == nil) != c.ok {
			t.Errorf("%s reg(%q): error %v, want ok %v", c.arch, c.reg, err, c.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "no such register on "+c.arch) {
			t.Errorf("%s reg(%q): %v", c.arch, c.reg, err)
		}
	}
}
