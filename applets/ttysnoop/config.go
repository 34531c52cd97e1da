package ttysnoop

import (
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/applet"
)

const (
	chunk     = 256 // TTY_CHUNK: bytes per event
	maxChunks = 64  // TTY_MAX_CHUNKS
)

type config struct {
	device                 string
	noclear, json, verbose bool
	size, count            int
	rdev, sdev             uint32 // kernel dev_t encodings
	btf                    string
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{noclear: inv.Bool("noclear"), json: inv.Bool("json"), verbose: inv.Bool("verbose"),
		size: inv.Int("datasize"), count: inv.Int("datacount"), btf: inv.String("btf")}
	if len(inv.Args) != 1 {
		return nil, applet.Usagef("ttysnoop takes one device: /dev/pts/N, N or /dev/ttyX")
	}
	if c.size <= 0 {
		return nil, applet.Usagef("invalid data size %d for -s: want bytes > 0", c.size)
	}
	if c.count <= 0 {
		return nil, applet.Usagef("invalid data count %d for -c: want > 0", c.count)
	}
	c.device = inv.Args[0]
	if _, err := strconv.Atoi(c.device); err == nil {
		c.device = "/dev/pts/" + c.device
	}
	var st unix.Stat_t
	if err := unix.Stat(c.device, &st); err != nil {
		return nil, applet.Usagef("%s: %v", c.device, err)
	}
	if st.Mode&unix.S_IFMT != unix.S_IFCHR {
		return nil, applet.Usagef("%s is not a terminal (not a character device)", c.device)
	}
	c.rdev = kdev(st.Rdev)
	// A pts number is only unique within its devpts instance (each
	// container may mount its own): match the instance too.
	if major := unix.Major(st.Rdev); major >= 136 && major <= 143 || strings.HasPrefix(c.device, "/dev/pts/") {
		c.sdev = kdev(st.Dev)
	}
	return c, nil
}

// kdev converts a user-space device number to the kernel's internal
// encoding (major << 20 | minor), as inodes and superblocks hold it.
func kdev(d uint64) uint32 {
	return unix.Major(d)<<20 | unix.Minor(d)
}

// chunks is how many TTY_CHUNK-byte events a write may give: SIZE*COUNT
// bytes, at most maxChunks events.
func (c *config) chunks() uint32 {
	n := (c.size*c.count + chunk - 1) / chunk
	return uint32(min(max(n, 1), maxChunks))
}

// consts are the BPF program's filters, rewritten before load.
func (c *config) consts() map[string]any {
	return map[string]any{"tty_rdev": c.rdev, "tty_sdev": c.sdev, "max_chunks": c.chunks()}
}
