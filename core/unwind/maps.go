package unwind

import (
	"debug/elf"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/probebox/probebox/core/procmaps"
)

// mapping is one executable file mapping of /proc/PID/maps.
type mapping struct {
	start, end, off uint64
	path            string
	file            string // device:inode, the file's identity
}

// readMaps lists pid's executable file mappings, sorted by start (the
// kernel lists them so).
func readMaps(pid int) ([]mapping, error) {
	maps, err := procmaps.Read(pid, procmaps.ExecFiles)
	if err != nil {
		return nil, err
	}
	out := make([]mapping, len(maps))
	for i, m := range maps {
		out[i] = mapping{start: m.Start, end: m.End, off: m.Offset, path: m.Path,
			file: m.Dev + ":" + strconv.FormatUint(m.Inode, 10)}
	}
	return out, nil
}

// vaddrOf maps a file offset to f's virtual addresses through the
// loadable segment holding it (a mapping's offset is rounded down to a
// page, which may be below the segment's own offset).
func vaddrOf(progs []elf.ProgHeader, off uint64) (uint64, bool) {
	for _, p := range progs {
		if p.Type != elf.PT_LOAD || p.Flags&elf.PF_X == 0 {
			continue
		}
		if off >= p.Off&^0xfff && off < p.Off+p.Filesz {
			return off + p.Vaddr - p.Off, true
		}
	}
	return 0, false
}

// openInProcess opens a file a process maps, through its root (so a
// container's files are found from the host).
func openInProcess(pid int, path string) (*elf.File, error) {
	f, err := elf.Open(fmt.Sprintf("/proc/%d/root%s", pid, path))
	if err != nil {
		return nil, err
	}
	return f, nil
}

// readStartCode is pid's mm start_code (field 26 of /proc/PID/stat), which
// exec changes; 0 when it cannot be read (the walker then does not check).
func readStartCode(pid int) uint64 {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// The fields after the command name, which may hold spaces and ")".
	i := strings.LastIndexByte(string(raw), ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(raw[i+1:]))
	if len(f) < 24 {
		return 0
	}
	v, _ := strconv.ParseUint(f[23], 10, 64) // field 26: state is field 3, f[0]
	return v
}
