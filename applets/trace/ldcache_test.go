package trace

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

// writeLDCache writes a new-format ld.so.cache holding entries.
func writeLDCache(t *testing.T, entries []ldCacheEntry) string {
	t.Helper()
	const header = 48
	strOff := header + 24*len(entries)
	var strs []byte
	head := make([]byte, header+24*len(entries))
	copy(head, ldCacheMagic)
	le := binary.LittleEndian
	le.PutUint32(head[20:], uint32(len(entries)))
	for i, e := range entries {
		rec := head[header+24*i:]
		le.PutUint32(rec, uint32(e.flags))
		le.PutUint32(rec[4:], uint32(strOff+len(strs)))
		strs = append(append(strs, e.name...), 0)
		le.PutUint32(rec[8:], uint32(strOff+len(strs)))
		strs = append(append(strs, e.path...), 0)
	}
	path := filepath.Join(t.TempDir(), "ld.so.cache")
	if err := os.WriteFile(path, append(head, strs...), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLDCacheLookup(t *testing.T) {
	arch := ldArchFlags() | ldFlagELFLibc6
	other := int32(ldFlagAArch64 | ldFlagELFLibc6)
	if arch&ldFlagArchMask == ldFlagAArch64 {
		other = ldFlagX8664 | ldFlagELFLibc6
	}
	path := writeLDCache(t, []ldCacheEntry{
		{flags: other, name: "libssl.so.3", path: "/wrong/arch/libssl.so.3"},
		{flags: arch, name: "libssl3.so", path: "/lib/libssl3.so"},
		{flags: arch, name: "libssl.so.3", path: "/lib/libssl.so.3"},
		{flags: arch, name: "libc.so.6", path: "/lib/libc.so.6"},
	})
	entries, err := readLDCache(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"libssl": "/lib/libssl.so.3", "ssl": "/lib/libssl.so.3", "libc": "/lib/libc.so.6", "c": "/lib/libc.so.6", "libnope": ""} {
		got, _ := lookupLDCache(entries, name)
		if got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	if _, err := readLDCache(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("a missing cache read without error")
	}
	os.WriteFile(path, []byte("not a cache"), 0o644)
	if _, err := readLDCache(path); err == nil {
		t.Error("garbage read without error")
	}
}

// TestBinaryFromLDCache: a bare library name that is no command is
// found through the cache.
func TestBinaryFromLDCache(t *testing.T) {
	saved := ldCachePath
	defer func() { ldCachePath = saved }()
	ldCachePath = writeLDCache(t, []ldCacheEntry{{flags: ldArchFlags() | ldFlagELFLibc6, name: "libpbxtest.so.1", path: "/opt/pbx/libpbxtest.so.1"}})
	env := newKernelEnv()
	if got, err := env.Binary("libpbxtest", 0); err != nil || got != "/opt/pbx/libpbxtest.so.1" {
		t.Errorf("libpbxtest: %q, %v", got, err)
	}
	if _, err := env.Binary("libpbxnone", 0); err == nil {
		t.Error("an unknown library was found")
	}
}
