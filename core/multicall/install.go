package multicall

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"

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
	dirFD, err := openInstallDir(dir)
	if err != nil {
		fmt.Fprintf(s.Stderr, "probebox: --install: %v\n", err)
		return 1
	}
	defer unix.Close(dirFD)
	status := 0
	for _, a := range applet.All() {
		if a.NoLink {
			continue
		}
		msg, err := installOne(self, dirFD, dir, a.Name, symbolic, force)
		if err != nil {
			fmt.Fprintf(s.Stderr, "probebox: --install: %v\n", err)
			status = 1
			continue
		}
		fmt.Fprintln(s.Stdout, msg)
	}
	return status
}

// openInstallDir opens DIR once; every later step works relative to that
// descriptor, so a path swapped or symlinked under us cannot redirect a
// write outside DIR. DIR itself may be a symlink only when it belongs to
// us or to root (/bin -> usr/bin); one planted by another user is refused.
func openInstallDir(dir string) (int, error) {
	var st unix.Stat_t
	if err := unix.Lstat(dir, &st); err != nil {
		return -1, fmt.Errorf("%s: %w", dir, err)
	}
	if st.Mode&unix.S_IFMT == unix.S_IFLNK && !trustedOwner(st.Uid) {
		return -1, fmt.Errorf("refusing to follow %s: a symlink owned by user %d, not by you or root", dir, st.Uid)
	}
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, fmt.Errorf("%s: %w", dir, err)
	}
	return fd, nil
}

func trustedOwner(uid uint32) bool { return uid == 0 || int(uid) == os.Geteuid() }

func installOne(self string, dirFD int, dir, name string, symbolic, force bool) (string, error) {
	dst := filepath.Join(dir, name)
	what := "hard link"
	if symbolic {
		what = "symlink"
	}
	var st unix.Stat_t
	err := unix.Fstatat(dirFD, name, &st, unix.AT_SYMLINK_NOFOLLOW)
	isSymlink := err == nil && st.Mode&unix.S_IFMT == unix.S_IFLNK
	switch {
	case errors.Is(err, unix.ENOENT):
	case err != nil:
		return "", fmt.Errorf("%s: %w", dst, err)
	case isSymlink && int(st.Uid) != os.Geteuid():
		// Never replaced, not even with --force: whoever planted it wants
		// us to act on its target or on its name.
		return "", fmt.Errorf("refusing to replace %s: a symlink owned by user %d, not by you", dst, st.Uid)
	case isLinkTo(self, dirFD, dir, name, &st):
		if err := unix.Unlinkat(dirFD, name, 0); err != nil {
			return "", fmt.Errorf("%s: %w", dst, err)
		}
		what = "replaced " + what
	case !force:
		return fmt.Sprintf("skipped %s: exists and is not a probebox link (use --force to replace it)", dst), nil
	default:
		if st.Mode&unix.S_IFMT == unix.S_IFDIR {
			return "", fmt.Errorf("%s is a directory; not replacing it", dst)
		}
		if err := unix.Unlinkat(dirFD, name, 0); err != nil {
			return "", fmt.Errorf("%s: %w", dst, err)
		}
		what = "forced " + what
	}
	// Both calls fail with EEXIST rather than follow anything that
	// appeared in between.
	if symbolic {
		err = unix.Symlinkat(self, dirFD, name)
	} else {
		err = unix.Linkat(unix.AT_FDCWD, self, dirFD, name, 0)
	}
	if err != nil {
		return "", fmt.Errorf("%s: %w", dst, err)
	}
	return fmt.Sprintf("%s %s -> %s", what, dst, self), nil
}

// isLinkTo reports whether name in the directory already is a probebox
// link: a symlink whose text names self (read, not followed), or a hard
// link sharing self's inode.
func isLinkTo(self string, dirFD int, dir, name string, st *unix.Stat_t) bool {
	if st.Mode&unix.S_IFMT == unix.S_IFLNK {
		buf := make([]byte, 4096)
		n, err := unix.Readlinkat(dirFD, name, buf)
		if err != nil {
			return false
		}
		target := string(buf[:n])
		if !filepath.IsAbs(target) {
			target = filepath.Join(dir, target)
		}
		abs, err := filepath.Abs(target)
		return err == nil && abs == self
	}
	var selfSt unix.Stat_t
	if err := unix.Stat(self, &selfSt); err != nil {
		return false
	}
	return st.Dev == selfSt.Dev && st.Ino == selfSt.Ino
}
