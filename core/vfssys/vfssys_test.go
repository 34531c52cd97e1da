package vfssys

import (
	"testing"

	"github.com/probebox/probebox/core/sysnames"
)

func TestTable(t *testing.T) {
	// A tool counting reads in 0, creates in 1 and rmdirs in 2 only.
	slots := map[string]uint8{"vfs_read": 0, "vfs_create": 1, "vfs_rmdir": 2}
	tab := Table(func(fn string) (uint8, bool) { s, ok := slots[fn]; return s, ok })
	entry := func(sys string) Entry {
		nr, ok := sysnames.Number(sys)
		if !ok {
			t.Fatalf("no system call %s here", sys)
		}
		return tab[nr]
	}
	for _, tt := range []struct {
		sys  string
		want Entry
	}{
		{"read", Entry{How: plain, Slot: 0, Alt: noSlot}},
		{"pread64", Entry{How: plain, Slot: 0, Alt: noSlot}},
		{"write", Entry{}}, // no slot: not in the table
		{"readv", Entry{}},
		{"openat", Entry{How: open, Slot: noSlot, Alt: 1, Arg: 2}},
		{"openat2", Entry{How: openat2, Slot: noSlot, Alt: 1, Arg: 2}},
		{"mknodat", Entry{How: mknod, Slot: noSlot, Alt: 1, Arg: 2}},
		{"unlinkat", Entry{How: unlinkat, Slot: noSlot, Alt: 2, Arg: 2}},
		{"mkdirat", Entry{}},
	} {
		if got := entry(tt.sys); got != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.sys, got, tt.want)
		}
	}
	n := 0
	for _, e := range tab {
		if e != (Entry{}) {
			n++
		}
	}
	if n != 10 && n != 6 { // open, creat, mknod and rmdir exist on x86_64, not arm64
		t.Errorf("%d calls in the table", n)
	}
}

// TestCalls: every system call named is this architecture's or one of
// the legacy ones arm64 lacks, and each leads somewhere.
func TestCalls(t *testing.T) {
	legacy := map[string]bool{"open": true, "creat": true, "unlink": true, "rmdir": true, "mkdir": true, "rename": true,
		"stat": true, "lstat": true, "symlink": true, "link": true, "readlink": true, "mknod": true, "renameat": true}
	for _, c := range calls {
		if _, ok := sysnames.Number(c.sys); !ok && !legacy[c.sys] {
			t.Errorf("%s: not a system call here", c.sys)
		}
		if c.fn == "" || (c.how != none && c.how != creat && c.arg != 1 && c.arg != 2) || (c.how != none) != (c.alt != "") {
			t.Errorf("%+v: incomplete", c)
		}
	}
}
