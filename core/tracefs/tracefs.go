// Package tracefs finds the tracing file system, mounting it at
// /sys/kernel/tracing when it is not mounted and we are allowed to, and
// answers which tracepoints exist.
package tracefs

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

const defaultMount = "/sys/kernel/tracing"

// FS is a tracefs tree rooted at Root (a fake one in tests).
type FS struct{ Root string }

// Exists reports whether events/GROUP/NAME exists.
func (fs FS) Exists(group, name string) bool {
	st, err := os.Stat(filepath.Join(fs.Root, "events", group, name))
	return err == nil && st.IsDir()
}

// ID returns the tracepoint's perf event id.
func (fs FS) ID(group, name string) (uint64, error) {
	b, err := os.ReadFile(filepath.Join(fs.Root, "events", group, name, "id"))
	if err != nil {
		return 0, fmt.Errorf("tracepoint %s:%s: %w", group, name, err)
	}
	return strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
}

// Format returns the tracepoint's format description.
func (fs FS) Format(group, name string) (string, error) {
	b, err := os.ReadFile(filepath.Join(fs.Root, "events", group, name, "format"))
	if err != nil {
		return "", fmt.Errorf("tracepoint %s:%s: %w", group, name, err)
	}
	return string(b), nil
}

// ParseMounts finds a tracefs mount point in /proc/self/mounts text,
// preferring /sys/kernel/tracing over the older debugfs location.
func ParseMounts(r io.Reader) (dir string, found bool) {
	s := bufio.NewScanner(r)
	for s.Scan() {
		f := strings.Fields(s.Text())
		if len(f) < 3 || f[2] != "tracefs" {
			continue
		}
		if f[1] == defaultMount {
			return f[1], true
		}
		if !found {
			dir, found = f[1], true
		}
	}
	return dir, found
}

var (
	mu     sync.Mutex
	cached string
)

// Dir returns where tracefs is mounted, mounting it when needed.
func Dir() (string, error) {
	mu.Lock()
	defer mu.Unlock()
	if cached != "" {
		return cached, nil
	}
	if f, err := os.Open("/proc/self/mounts"); err == nil {
		dir, ok := ParseMounts(f)
		f.Close()
		if ok {
			cached = dir
			return dir, nil
		}
	}
	err := unix.Mount("nodev", defaultMount, "tracefs", 0, "")
	if err == nil || errors.Is(err, unix.EBUSY) {
		cached = defaultMount
		return cached, nil
	}
	return "", fmt.Errorf("tracefs is not mounted and mounting it failed (%v); mount it with: mount -t tracefs nodev %s", err, defaultMount)
}

// Default is the real tracefs, or an error saying how to get it.
func Default() (FS, error) {
	dir, err := Dir()
	return FS{Root: dir}, err
}

// EventExists reports whether the running kernel has tracepoint group:name.
func EventExists(group, name string) bool {
	fs, err := Default()
	return err == nil && fs.Exists(group, name)
}

// EventID is FS.ID on the real tracefs.
func EventID(group, name string) (uint64, error) {
	fs, err := Default()
	if err != nil {
		return 0, err
	}
	return fs.ID(group, name)
}

// Format is FS.Format on the real tracefs.
func Format(group, name string) (string, error) {
	fs, err := Default()
	if err != nil {
		return "", err
	}
	return fs.Format(group, name)
}
