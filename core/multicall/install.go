package multicall

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/probebox/probebox/core/applet"
)

// install creates one link per applet in DIR, as `busybox --install [-s]`:
// hard links by default, symbolic links with -s. A file that is not already
// a link to this binary is left alone unless --force is given.
func install(args []string, s applet.Streams) int {
	var symbolic, force bool
	var dir string
	for _, a := range args {
		switch a {
		case "-s":
			symbolic = true
		case "--force", "-f":
			force = true
		default:
			if dir != "" || (len(a) > 0 && a[0] == '-') {
				fmt.Fprintf(s.Stderr, "probebox: --install: unexpected argument %q (usage: probebox --install [-s] [--force] DIR)\n", a)
				return 2
			}
			dir = a
		}
	}
	if dir == "" {
		fmt.Fprintln(s.Stderr, "probebox: --install needs a directory (usage: probebox --install [-s] [--force] DIR)")
		return 2
	}
	self, err := os.Executable()
	if err == nil {
		self, err = filepath.EvalSymlinks(self)
	}
	if err != nil {
		fmt.Fprintf(s.Stderr, "probebox: --install: cannot find this binary: %v\n", err)
		return 1
	}
	status := 0
	for _, a := range applet.All() {
		if a.NoLink {
			continue
		}
		msg, err := installOne(self, filepath.Join(dir, a.Name), symbolic, force)
		if err != nil {
			fmt.Fprintf(s.Stderr, "probebox: --install: %v\n", err)
			status = 1
			continue
		}
		fmt.Fprintln(s.Stdout, msg)
	}
	return status
}

func installOne(self, dst string, symbolic, force bool) (string, error) {
	what := "hard link"
	if symbolic {
		what = "symlink"
	}
	existing, err := os.Lstat(dst)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return "", err
	case isLinkTo(dst, existing, self):
		if err := os.Remove(dst); err != nil {
			return "", err
		}
		what = "replaced " + what
	case !force:
		return fmt.Sprintf("skipped %s: exists and is not a probebox link (use --force to replace it)", dst), nil
	default:
		if existing.IsDir() {
			return "", fmt.Errorf("%s is a directory; not replacing it", dst)
		}
		if err := os.Remove(dst); err != nil {
			return "", err
		}
		what = "forced " + what
	}
	if symbolic {
		err = os.Symlink(self, dst)
	} else {
		err = os.Link(self, dst)
	}
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s %s -> %s", what, dst, self), nil
}

// isLinkTo reports whether dst already is a probebox link: a symlink that
// resolves to self, or a hard link sharing self's inode.
func isLinkTo(dst string, fi os.FileInfo, self string) bool {
	if fi.Mode()&os.ModeSymlink != 0 {
		target, err := filepath.EvalSymlinks(dst)
		return err == nil && target == self
	}
	selfInfo, err := os.Stat(self)
	if err != nil {
		return false
	}
	a, ok1 := fi.Sys().(*syscall.Stat_t)
	b, ok2 := selfInfo.Sys().(*syscall.Stat_t)
	return ok1 && ok2 && a.Dev == b.Dev && a.Ino == b.Ino
}
