package uprobes

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"runtime"
	"strings"
)

// The dynamic loader's cache (/etc/ld.so.cache, written by ldconfig) lists
// the libraries a program would load, by soname, with their paths. Only
// the new format ("glibc-ld.so.cache1.1") is read: glibc 2.32+ writes only
// it, older ones write it after the old format's entries.
const cacheMagic = "glibc-ld.so.cache1.1"

type cacheEntry struct {
	flags      uint32
	name, path string
}

// Entry flags: an ELF libc6 library, and its architecture.
const (
	flagELFLibc6 = 0x0003
	flagTypeMask = 0x00ff
	flagArchMask = 0xff00
	flagX8664    = 0x0300
	flagAArch64  = 0x0a00
)

func archFlag() uint32 {
	if runtime.GOARCH == "arm64" {
		return flagAArch64
	}
	return flagX8664
}

func readCache(path string) ([]cacheEntry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseCache(b)
}

func parseCache(b []byte) ([]cacheEntry, error) {
	start := bytes.Index(b, []byte(cacheMagic))
	if start < 0 {
		return nil, fmt.Errorf("not a glibc ld.so.cache")
	}
	d := b[start:]
	const header, entrySize = 48, 24
	if len(d) < header {
		return nil, fmt.Errorf("ld.so.cache: short header")
	}
	le := binary.LittleEndian
	n := int(le.Uint32(d[20:]))
	if n < 0 || n > (len(d)-header)/entrySize {
		return nil, fmt.Errorf("ld.so.cache: %d entries do not fit", n)
	}
	// String offsets count from the new format's header.
	str := func(off uint32) string {
		if int(off) >= len(d) {
			return ""
		}
		s := d[off:]
		if i := bytes.IndexByte(s, 0); i >= 0 {
			s = s[:i]
		}
		return string(s)
	}
	out := make([]cacheEntry, 0, n)
	for i := 0; i < n; i++ {
		e := d[header+entrySize*i:]
		out = append(out, cacheEntry{flags: le.Uint32(e), name: str(le.Uint32(e[4:])), path: str(le.Uint32(e[8:]))})
	}
	return out, nil
}

// lookupCache finds the first library of this architecture whose soname
// starts with short+".so" ("libssl" → libssl.so.3).
func lookupCache(entries []cacheEntry, short string) (string, bool) {
	for _, e := range entries {
		if e.flags&flagTypeMask != flagELFLibc6 || e.flags&flagArchMask != archFlag() {
			continue
		}
		if strings.HasPrefix(e.name, short+".so") {
			return e.path, true
		}
	}
	return "", false
}
