package exporter

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// cgroupNames names cgroup v2 directories by inode number, the key the
// runqlat program uses with per_cgroup: their paths under the cgroup2
// mount ("/system.slice/ssh.service"). The tree is walked again when an
// unknown inode shows up, at most once per scrape.
type cgroupNames struct {
	root   string
	byIno  map[uint32]string
	walked bool // in this scrape
}

func newCgroupNames() *cgroupNames {
	root := "/sys/fs/cgroup"
	if b, err := os.ReadFile("/proc/self/mounts"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if f := strings.Fields(l); len(f) >= 3 && f[2] == "cgroup2" {
				root = f[1]
				break
			}
		}
	}
	return &cgroupNames{root: root, byIno: map[uint32]string{}}
}

// path returns the cgroup's path, or "ino:N" for one that is gone.
func (c *cgroupNames) path(ino uint32) string {
	if p, ok := c.byIno[ino]; ok {
		return p
	}
	if !c.walked {
		c.walk()
	}
	if p, ok := c.byIno[ino]; ok {
		return p
	}
	return "ino:" + strconv.FormatUint(uint64(ino), 10)
}

func (c *cgroupNames) walk() {
	c.walked = true
	c.byIno = map[uint32]string{}
	filepath.WalkDir(c.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		if st, ok := info.Sys().(*syscall.Stat_t); ok {
			rel := strings.TrimPrefix(p, c.root)
			if rel == "" {
				rel = "/"
			}
			c.byIno[uint32(st.Ino)] = rel
		}
		return nil
	})
}

// newScrape lets the next unknown inode walk the tree again.
func (c *cgroupNames) newScrape() { c.walked = false }
