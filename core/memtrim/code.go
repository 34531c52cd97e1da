package memtrim

import (
	"os"

	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/procmaps"
)

// Code drops this process's page-table entries for the read-only
// mappings of its own executable (code and constant data), so that only
// what runs from then on is resident again.
//
// Why: starting up and loading BPF run through code a tracing loop never
// needs again (every applet's init, flag parsing, the ELF and BTF readers,
// CO-RE relocation), and the kernel maps file pages 64 KiB at a time
// around each fault (fault-around), so most of the 20 MiB binary stayed
// mapped after load: about 16 MiB of every tool's resident memory.
// MADV_DONTNEED on a private, read-only file mapping only unmaps: the
// pages stay in the page cache (nothing is read from disk again) and
// whatever runs next faults back in what it uses. Writable mappings are
// left alone (their private copies would be lost).
func Code() {
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		return
	}
	// All the ranges first, then the madvise calls: what runs between the
	// first unmapping and the return (the maps reader, its parsing) would
	// otherwise fault its code straight back in, 64 KiB at a time
	// (fault-around), and stay resident for nothing.
	ranges := readOnlyMappings(exe)
	for _, r := range ranges {
		unix.Syscall(unix.SYS_MADVISE, uintptr(r[0]), uintptr(r[1]-r[0]), unix.MADV_DONTNEED)
	}
}

// readOnlyMappings lists the private read-only mappings of path in
// /proc/self/maps (an executable has two or three).
func readOnlyMappings(path string) [][2]uint64 {
	maps, _ := procmaps.Read(0, func(m *procmaps.Mapping) bool { return privateReadOnly(m, path) })
	ranges := make([][2]uint64, len(maps))
	for i, m := range maps {
		ranges[i] = [2]uint64{m.Start, m.End}
	}
	return ranges
}

// privateReadOnly: m maps path privately and read-only, as in
//
//	00400000-00c12000 r-xp 00000000 fe:00 10103105   /usr/bin/probebox
func privateReadOnly(m *procmaps.Mapping, path string) bool {
	p := m.Perms
	return m.Path == path && len(p) == 4 && p[0] == 'r' && p[1] == '-' && p[3] == 'p' && m.End > m.Start
}
