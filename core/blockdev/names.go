package blockdev

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// minorBits is the width of the minor number in the kernel's internal
// dev_t (MINORBITS in linux/kdev_t.h), which BPF programs see.
const minorBits = 20

// MkDev packs major and minor as the kernel does inside: major << 20 | minor.
func MkDev(major, minor uint32) uint32 { return major<<minorBits | minor&(1<<minorBits-1) }

// Major and Minor unpack a kernel dev_t.
func Major(dev uint32) uint32 { return dev >> minorBits }
func Minor(dev uint32) uint32 { return dev & (1<<minorBits - 1) }

// Names maps kernel dev_t numbers to block device names ("sda", "loop0")
// and back. Successful answers are cached; a device that appears later
// (a loop device attached after the tool started) is found on first use.
type Names struct {
	// Sys is the sysfs root ("/sys"); Partitions is /proc/partitions.
	// Tests point them at fake trees.
	Sys, Partitions string

	mu    sync.Mutex
	cache map[uint32]string
}

// NewNames reads the running system.
func NewNames() *Names { return &Names{Sys: "/sys", Partitions: "/proc/partitions"} }

// Name returns the device's name, or ok=false when no block device has
// that number.
func (n *Names) Name(dev uint32) (string, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if name, ok := n.cache[dev]; ok {
		return name, true
	}
	name := n.sysName(dev)
	if name == "" {
		for _, p := range n.readPartitions() {
			if p.dev == dev {
				name = p.name
				break
			}
		}
	}
	if name == "" {
		return "", false
	}
	if n.cache == nil {
		n.cache = map[uint32]string{}
	}
	n.cache[dev] = name
	return name, true
}

// sysName follows /sys/dev/block/MAJ:MIN, a link to the device's directory.
func (n *Names) sysName(dev uint32) string {
	link := filepath.Join(n.Sys, "dev", "block", fmt.Sprintf("%d:%d", Major(dev), Minor(dev)))
	target, err := os.Readlink(link)
	if err != nil {
		return ""
	}
	return filepath.Base(target)
}

// Lookup finds the dev_t of the block device called name (a disk or a
// partition, as in /proc/partitions).
func (n *Names) Lookup(name string) (uint32, error) {
	if name == "" || strings.ContainsRune(name, '/') || name == "." || name == ".." {
		return 0, fmt.Errorf("invalid disk name %q", name)
	}
	if b, err := os.ReadFile(filepath.Join(n.Sys, "class", "block", name, "dev")); err == nil {
		if dev, ok := parseMajMin(strings.TrimSpace(string(b))); ok {
			return dev, nil
		}
	}
	n.mu.Lock()
	parts := n.readPartitions()
	n.mu.Unlock()
	for _, p := range parts {
		if p.name == name {
			return p.dev, nil
		}
	}
	return 0, fmt.Errorf("no block device named %q (see /proc/partitions)", name)
}

func parseMajMin(s string) (uint32, bool) {
	ma, mi, ok := strings.Cut(s, ":")
	if !ok {
		return 0, false
	}
	major, err1 := strconv.ParseUint(ma, 10, 12)
	minor, err2 := strconv.ParseUint(mi, 10, 20)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return MkDev(uint32(major), uint32(minor)), true
}

type partition struct {
	dev  uint32
	name string
}

// readPartitions parses /proc/partitions: a header line, then
// "major minor #blocks name" per device.
func (n *Names) readPartitions() []partition {
	f, err := os.Open(n.Partitions)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []partition
	s := bufio.NewScanner(f)
	for s.Scan() {
		fields := strings.Fields(s.Text())
		if len(fields) != 4 {
			continue
		}
		dev, ok := parseMajMin(fields[0] + ":" + fields[1])
		if !ok {
			continue // the header
		}
		out = append(out, partition{dev: dev, name: fields[3]})
	}
	return out
}
