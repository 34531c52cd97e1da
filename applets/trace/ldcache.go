package trace

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"runtime"
	"strings"
)

// The dynamic loader's cache (/etc/ld.so.cache, written by ldconfig)
// names the libraries a program would load: uprobe:libssl:SSL_read
// finds libssl.so.3 there, as bpftrace (through bcc) does.

const ldCacheMagic = "glibc-ld.so.cache1.1"

// ldCacheEntry is one library: its soname and path.
type ldCacheEntry struct {
	flags int32
	name  string
	path  string
}

// ld.so.cache flags: an ELF libc6 library, and the word size and
// architecture this process runs as.
const (
	ldFlagELFLibc6 = 0x0003
	ldFlagX8664    = 0x0300
	ldFlagAArch64  = 0x0a00
	ldFlagTypeMask = 0x00ff
	ldFlagArchMask = 0xff00
)

// readLDCache parses the new-format cache (glibc 2.32+ writes only it;
// older ones write it after the old format's entries).
func readLDCache(path string) ([]ldCacheEntry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	start := bytes.Index(b, []byte(ldCacheMagic))
	if start < 0 {
		return nil, fmt.Errorf("%s: not a glibc ld.so.cache", path)
	}
	d := b[start:]
	const header = 48
	if len(d) < header {
		return nil, fmt.Errorf("%s: short header", path)
	}
	ne := binary.LittleEndian
	n := int(ne.Uint32(d[20:]))
	if n < 0 || header+24*n > len(d) {
		return nil, fmt.Errorf("%s: %d entries do not fit", path, n)
	}
	str := func(off uint32) string {
		// String offsets count from the new format's header.
		if int(off) >= len(d) {
			return ""
		}
		s := d[off:]
		if i := bytes.IndexByte(s, 0); i >= 0 {
			s = s[:i]
		}
		return string(s)
	}
	out := make([]ldCacheEntry, 0, n)
	for i := 0; i < n; i++ {
		e := d[header+24*i:]
		out = append(out, ldCacheEntry{flags: int32(ne.Uint32(e)), name: str(ne.Uint32(e[4:])), path: str(ne.Uint32(e[8:]))})
	}
	return out, nil
}

// ldArchFlags is the cache's architecture flag for this process.
func ldArchFlags() int32 {
	if runtime.GOARCH == "arm64" {
		return ldFlagAArch64
	}
	return ldFlagX8664
}

// lookupLDCache finds a library by the name bpftrace takes: "libssl"
// (or "ssl", as bcc's which_so takes it) is the first entry whose soname
// starts with "libssl.so".
func lookupLDCache(entries []ldCacheEntry, name string) (string, bool) {
	prefixes := []string{name + ".so"}
	if !strings.HasPrefix(name, "lib") {
		prefixes = append(prefixes, "lib"+name+".so")
	}
	for _, p := range prefixes {
		for _, e := range entries {
			if e.flags&ldFlagTypeMask != ldFlagELFLibc6 || e.flags&ldFlagArchMask != ldArchFlags() {
				continue
			}
			if strings.HasPrefix(e.name, p) {
				return e.path, true
			}
		}
	}
	return "", false
}
