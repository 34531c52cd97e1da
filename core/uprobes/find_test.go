package uprobes

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cache builds a new-format ld.so.cache image with the given entries.
func cache(entries [][3]any) []byte {
	const header, entrySize = 48, 24
	strOff := header + entrySize*len(entries)
	var strs []byte
	b := make([]byte, strOff)
	copy(b, cacheMagic)
	le := binary.LittleEndian
	le.PutUint32(b[20:], uint32(len(entries)))
	for i, e := range entries {
		at := header + entrySize*i
		le.PutUint32(b[at:], e[0].(uint32))
		le.PutUint32(b[at+4:], uint32(strOff+len(strs)))
		strs = append(append(strs, e[1].(string)...), 0)
		le.PutUint32(b[at+8:], uint32(strOff+len(strs)))
		strs = append(append(strs, e[2].(string)...), 0)
	}
	return append(b, strs...)
}

func TestLookupCache(t *testing.T) {
	other := uint32(flagELFLibc6 | 0x0800) // another architecture
	img := cache([][3]any{
		{other | 0, "libssl.so.3", "/wrong/arch/libssl.so.3"},
		{uint32(flagELFLibc6) | archFlag(), "libssl.so.3", "/usr/lib/libssl.so.3"},
		{uint32(flagELFLibc6) | archFlag(), "libc.so.6", "/usr/lib/libc.so.6"},
	})
	entries, err := parseCache(append([]byte("old format junk"), img...))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ short, want string }{{"libssl", "/usr/lib/libssl.so.3"}, {"libc", "/usr/lib/libc.so.6"}, {"libnss", ""}} {
		if got, _ := lookupCache(entries, tt.short); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.short, got, tt.want)
		}
	}
	if _, err := parseCache([]byte("not a cache")); err == nil {
		t.Error("garbage parsed")
	}
	bad := cache(nil)
	binary.LittleEndian.PutUint32(bad[20:], 1<<30)
	if _, err := parseCache(bad); err == nil {
		t.Error("an entry count past the end parsed")
	}
}

// TestFindLibraryHost: the C library of this machine is found by the
// names users give it, and is an ELF file defining getaddrinfo.
func TestFindLibraryHost(t *testing.T) {
	if _, err := os.Stat("/etc/ld.so.cache"); err != nil {
		t.Skip("no /etc/ld.so.cache (a busybox guest)")
	}
	for _, name := range []string{"c", "libc", "libc.so.6"} {
		p, err := FindLibrary(name, 0)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !strings.Contains(p, "libc") || !HasFunction(p, "getaddrinfo") {
			t.Errorf("%s: %s (getaddrinfo: %v)", name, p, HasFunction(p, "getaddrinfo"))
		}
	}
	if _, err := FindLibrary("pbx-no-such-library", 0); err == nil {
		t.Error("a missing library was found")
	}
	if _, err := FindLibrary("c", 1<<30); err == nil {
		t.Error("a missing process was accepted")
	}
}

func TestLibraryStem(t *testing.T) {
	for in, want := range map[string]string{"c": "libc", "libc": "libc", "ssl": "libssl", "libssl.so.3": "libssl", "libc.so": "libc", "libcrypt.so.1.1": "libcrypt"} {
		if got := libraryStem(in); got != want {
			t.Errorf("libraryStem(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestMappedIn: a process's maps name a program by its base name (or
// with a version after "." or "-") and a library by its stem.
func TestMappedIn(t *testing.T) {
	maps := filepath.Join(t.TempDir(), "maps")
	os.WriteFile(maps, []byte(`55d0c0a00000-55d0c0a28000 r--p 00000000 fe:01 1234 /usr/bin/bash
55d0c0b00000-55d0c0b28000 r--p 00000000 fe:01 1235 /usr/bin/python3.11
7f1e2a000000-7f1e2a028000 r--p 00000000 fe:01 5678 /usr/lib/x86_64-linux-gnu/libc.so.6
7f1e2a400000-7f1e2a401000 rw-p 00000000 00:00 0 [heap]
7f1e2a500000-7f1e2a528000 r--p 00000000 fe:01 91 /usr/lib/libcrypt-2.31.so
`), 0o644)
	program := func(name string) func(string) bool {
		return func(base string) bool { return isProgram(base, name) }
	}
	library := func(name string) func(string) bool {
		return func(base string) bool { return isLibrary(base, libraryStem(name)) }
	}
	for _, tt := range []struct {
		what string
		want func(string) bool
		path string
	}{
		{"program bash", program("bash"), "/usr/bin/bash"},
		{"program python3", program("python3"), "/usr/bin/python3.11"},
		{"program libc", program("libc"), "/usr/lib/x86_64-linux-gnu/libc.so.6"},
		{"program lib", program("lib"), ""},
		{"program heap", program("heap"), ""},
		{"library c", library("c"), "/usr/lib/x86_64-linux-gnu/libc.so.6"},
		{"library libcrypt", library("libcrypt"), "/usr/lib/libcrypt-2.31.so"},
		{"library bash", library("bash"), ""},
	} {
		if got := mappedIn(maps, tt.want); got != tt.path {
			t.Errorf("%s: %q, want %q", tt.what, got, tt.path)
		}
	}
}

// TestFindOrder: a name that is both a command in $PATH and a library in
// the cache is the command in bpftrace's order and the library in bcc's;
// a name that is only one of them is found in either order.
func TestFindOrder(t *testing.T) {
	dir := t.TempDir()
	elfFile := func(name string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("\x7fELF fake"), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	both, lib, only := elfFile("pbxboth"), elfFile("libpbxboth.so.1"), elfFile("libpbxlib.so.2")
	prog := elfFile("pbxprog")
	flags := uint32(flagELFLibc6) | archFlag()
	img := cache([][3]any{{flags, "libpbxboth.so.1", lib}, {flags, "libpbxlib.so.2", only}})
	saved := cachePath
	defer func() { cachePath = saved }()
	cachePath = filepath.Join(dir, "ld.so.cache")
	if err := os.WriteFile(cachePath, img, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	for _, tt := range []struct {
		name  string
		order Order
		want  string
	}{
		{"pbxboth", ProgramFirst, both},
		{"pbxboth", LibraryFirst, lib},
		{"pbxlib", ProgramFirst, only},
		{"libpbxlib", LibraryFirst, only},
		{"libpbxlib.so.2", ProgramFirst, only},
		{"pbxprog", LibraryFirst, prog},
		{"pbxprog", ProgramFirst, prog},
		{prog, ProgramFirst, prog},
	} {
		if got, err := Find(tt.name, 0, tt.order); err != nil || got != tt.want {
			t.Errorf("Find(%q, %v) = %q, %v; want %q", tt.name, tt.order, got, err, tt.want)
		}
	}
	for _, order := range []Order{LibraryFirst, ProgramFirst} {
		if p, err := Find("pbxnone", 0, order); err == nil {
			t.Errorf("order %v: a name nothing has was found: %s", order, p)
		}
		if _, err := Find("pbxprog", 1<<30, order); err == nil {
			t.Errorf("order %v: a missing process was accepted", order)
		}
	}
	if _, err := Find(filepath.Join(dir, "missing"), 0, ProgramFirst); err == nil {
		t.Error("a missing path was accepted")
	}
}

// TestFindInProcess: with a pid, a program that process maps is found
// through its root, by the name the user knows it by.
func TestFindInProcess(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	name := strings.SplitN(filepath.Base(exe), ".", 2)[0] // uprobes.test
	got, err := Find(name, os.Getpid(), ProgramFirst)
	want := Root(os.Getpid()) + exe
	if err != nil || got != want {
		t.Errorf("Find(%q, self) = %q, %v; want %q", name, got, err, want)
	}
}

// TestMapped: the file a process maps by a program's or library's name,
// "" for one it does not map, an error for a missing process.
func TestMapped(t *testing.T) {
	exe, _ := os.Executable()
	name := strings.SplitN(filepath.Base(exe), ".", 2)[0]
	if got, err := Mapped(os.Getpid(), name); err != nil || got != Root(os.Getpid())+exe {
		t.Errorf("Mapped(self, %q) = %q, %v; want %q", name, got, err, Root(os.Getpid())+exe)
	}
	if got, err := Mapped(os.Getpid(), "pbxnone"); err != nil || got != "" {
		t.Errorf("Mapped(self, pbxnone) = %q, %v", got, err)
	}
	if _, err := Mapped(1<<30, "libc"); err == nil {
		t.Error("a missing process was accepted")
	}
}
