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
func (e *kernelEnv) Binary(name string, pid uint32) (string, error) {
	if pid == 0 {
		return probes.ResolveBinary(name)
	}
	if strings.Contains(name, "/") {
		return filepath.Join(fmt.Sprintf("/proc/%d/root", pid), name), nil
	}
	if p, ok := mappedFile(fmt.Sprintf("/proc/%d/maps", pid), name); ok {
		return filepath.Join(fmt.Sprintf("/proc/%d/root", pid), p), nil
	}
	return probes.ResolveBinary(name)
}

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
