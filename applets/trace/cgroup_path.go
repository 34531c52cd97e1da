package trace

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
)

// cgroupPath writes cgroup_path(id) as bpftrace does: "NAME:PATH" for
// each mounted hierarchy holding a cgroup of that id, the unified
// (cgroup2) one first, then the others by name, joined by commas;
// filter keeps the hierarchies whose name matches it (a shell pattern).
// A cgroup's id is its directory's inode number (kernfs).
func cgroupPath(id uint64, filter string) string {
	cgroupPaths.Lock()
	defer cgroupPaths.Unlock()
	key := cgroupKey{id, filter}
	if p, ok := cgroupPaths.m[key]; ok {
		return p
	}
	var parts []string
	for _, h := range cgroupHierarchies() {
		if filter != "" {
			if ok, _ := filepath.Match(filter, h.name); !ok {
				continue
			}
		}
		if p, ok := findCgroup(h.mount, id); ok {
			parts = append(parts, h.name+":"+p)
		}
	}
	p := strings.Join(parts, ",")
	if cgroupPaths.m == nil {
		cgroupPaths.m = map[cgroupKey]string{}
	}
	cgroupPaths.m[key] = p
	return p
}

type cgroupKey struct {
	id     uint64
	filter string
}

var cgroupPaths struct {
	sync.Mutex
	m map[cgroupKey]string
}

type hierarchy struct{ name, mount string }

// cgroupHierarchies lists the mounted cgroup file systems: cgroup2 as
// "unified", a v1 hierarchy by its controllers or its name= option.
func cgroupHierarchies() []hierarchy {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return nil
	}
	defer f.Close()
	seen := map[string]bool{}
	var out []hierarchy
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// ID PARENT MAJ:MIN ROOT MOUNT OPTS [TAGS...] - FSTYPE SOURCE SUPEROPTS
		pre, post, ok := strings.Cut(sc.Text(), " - ")
		if !ok {
			continue
		}
		fields, tail := strings.Fields(pre), strings.Fields(post)
		if len(fields) < 5 || len(tail) < 3 {
			continue
		}
		var name string
		switch tail[0] {
		case "cgroup2":
			name = "unified"
		case "cgroup":
			var ctrl []string
			for _, o := range strings.Split(tail[2], ",") {
				switch {
				case strings.HasPrefix(o, "name="):
					ctrl = append(ctrl, strings.TrimPrefix(o, "name="))
				case o != "rw" && o != "ro" && !strings.Contains(o, "=") && o != "noprefix" && o != "clone_children" && o != "xattr" && o != "cpuset_v2_mode" && o != "nsdelegate" && o != "favordynmods":
					ctrl = append(ctrl, o)
				}
			}
			name = strings.Join(ctrl, ",")
		default:
			continue
		}
		if name == "" || seen[name] {
			continue
		}
		seen[name] = true
		out = append(out, hierarchy{name, fields[4]})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if (out[i].name == "unified") != (out[j].name == "unified") {
			return out[i].name == "unified"
		}
		return out[i].name < out[j].name
	})
	return out
}

// findCgroup walks a hierarchy for the directory whose inode is id and
// gives its path from the hierarchy's root ("/" for the root).
func findCgroup(mount string, id uint64) (string, bool) {
	var found string
	filepath.WalkDir(mount, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		if st, ok := info.Sys().(*syscall.Stat_t); ok && st.Ino == id {
			rel, _ := filepath.Rel(mount, path)
			found = "/" + strings.TrimPrefix(filepath.ToSlash(rel), ".")
			found = strings.Replace(found, "//", "/", 1)
			return filepath.SkipAll
		}
		return nil
	})
	return found, found != ""
}
