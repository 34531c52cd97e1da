package trace

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/probebox/probebox/core/probes"
)

// Binary finds a uprobe's file. With -p, a bare name is looked for among
// the files the process maps, as bpftrace does: "libc" is its libc.so.6,
// and a path is the one that process sees (through /proc/PID/root).
//
// A bare name that is no command in $PATH is a library found as the
// dynamic loader finds it: in the process's maps with -p, else in
// /etc/ld.so.cache ("libssl" is libssl.so.3).
func (e *kernelEnv) Binary(name string, pid uint32) (string, error) {
	if strings.Contains(name, "/") {
		if pid == 0 {
			return name, nil
		}
		return filepath.Join(fmt.Sprintf("/proc/%d/root", pid), name), nil
	}
	if pid != 0 {
		if p, ok := mappedFile(fmt.Sprintf("/proc/%d/maps", pid), name); ok {
			return filepath.Join(fmt.Sprintf("/proc/%d/root", pid), p), nil
		}
	}
	p, err := probes.ResolveBinary(name)
	if err == nil {
		return p, nil
	}
	entries, cerr := readLDCache(ldCachePath)
	if cerr == nil {
		if lib, ok := lookupLDCache(entries, name); ok {
			if pid != 0 {
				return filepath.Join(fmt.Sprintf("/proc/%d/root", pid), lib), nil
			}
			return lib, nil
		}
	}
	return "", fmt.Errorf("%q is neither a command in $PATH nor a library in %s: give its path", name, ldCachePath)
}

// ldCachePath is the dynamic loader's cache; a variable for tests.
var ldCachePath = "/etc/ld.so.cache"

// mappedFile finds, in a maps file, the first mapped path whose base name
// is name, or name followed by "." or "-" (libc.so.6, libc-2.31.so).
func mappedFile(mapsPath, name string) (string, bool) {
	f, err := os.Open(mapsPath)
	if err != nil {
		return "", false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || !strings.HasPrefix(fields[5], "/") {
			continue
		}
		path := fields[5]
		base := filepath.Base(path)
		if base == name || strings.HasPrefix(base, name+".") || strings.HasPrefix(base, name+"-") {
			return path, true
		}
	}
	return "", false
}
