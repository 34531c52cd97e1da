package uprobes

import (
	"encoding/binary"
	"os"
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
