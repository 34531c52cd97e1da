package procmaps

import (
	"os"
	"strings"
	"testing"
)

func TestParseLine(t *testing.T) {
	for _, c := range []struct {
		line string
		want Mapping
		ok   bool
	}{
		{"00400000-00452000 r-xp 00001000 08:02 173521   /usr/bin/dbus-daemon",
			Mapping{Start: 0x400000, End: 0x452000, Offset: 0x1000, Perms: "r-xp", Dev: "08:02", Inode: 173521, Path: "/usr/bin/dbus-daemon"}, true},
		{"7f0000000000-7f0000001000 r-xp 00000000 00:00 0",
			Mapping{Start: 0x7f0000000000, End: 0x7f0000001000, Perms: "r-xp", Dev: "00:00"}, true},
		{"7fff0000-7fff1000 r-xp 00000000 00:00 0                          [vdso]",
			Mapping{Start: 0x7fff0000, End: 0x7fff1000, Perms: "r-xp", Dev: "00:00", Path: "[vdso]"}, true},
		{"1000-2000 r-xp 00000000 fe:01 42 /tmp/a b (deleted)",
			Mapping{Start: 0x1000, End: 0x2000, Perms: "r-xp", Dev: "fe:01", Inode: 42, Path: "/tmp/a b (deleted)"}, true},
		{"garbage", Mapping{}, false},
		{"", Mapping{}, false},
		{"1000-2000 r-xp 00000000 fe:01", Mapping{}, false},
		{"1000-zz r-xp 00000000 fe:01 42 /x", Mapping{}, false},
		{"1000 r-xp 00000000 fe:01 42 /x", Mapping{}, false},
	} {
		got, ok := ParseLine(c.line)
		if ok != c.ok || got != c.want {
			t.Errorf("ParseLine(%q) = %+v, %v; want %+v, %v", c.line, got, ok, c.want, c.ok)
		}
	}
}

func TestParseKeep(t *testing.T) {
	text := "00400000-00452000 r-xp 00001000 08:02 173521 /usr/bin/dbus-daemon\n" +
		"00651000-00652000 rw-p 00051000 08:02 173521 /usr/bin/dbus-daemon\n" +
		"7fff0000-7fff1000 r-xp 00000000 00:00 0 [vdso]\n" +
		"garbage\n"
	maps, err := Parse(strings.NewReader(text), ExecFiles)
	if err != nil || len(maps) != 1 || maps[0].Start != 0x400000 || maps[0].Path != "/usr/bin/dbus-daemon" {
		t.Errorf("ExecFiles: %+v, %v", maps, err)
	}
	if all, _ := Parse(strings.NewReader(text), nil); len(all) != 3 {
		t.Errorf("nil keep: %d mappings, want 3", len(all))
	}
}

// TestReadSelf: this test binary maps itself executable.
func TestReadSelf(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	maps, err := Read(0, ExecFiles)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range maps {
		if i > 0 && m.Start < maps[i-1].Start {
			t.Errorf("not sorted: %+v after %+v", m, maps[i-1])
		}
		if m.Path == exe {
			return
		}
	}
	t.Errorf("%s not among the executable mappings %+v", exe, maps)
}
