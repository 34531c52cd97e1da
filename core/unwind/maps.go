package unwind

import (
	"bufio"
	"debug/elf"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"
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
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/maps")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []mapping
	s := bufio.NewScanner(f)
	for s.Scan() {
		fs := strings.Fields(s.Text())
		if len(fs) < 6 || len(fs[1]) < 3 || fs[1][2] != 'x' || !strings.HasPrefix(fs[5], "/") {
			continue
		}
		lo, hi, _ := strings.Cut(fs[0], "-")
		start, err1 := strconv.ParseUint(lo, 16, 64)
		end, err2 := strconv.ParseUint(hi, 16, 64)
		off, err3 := strconv.ParseUint(fs[2], 16, 64)
		if err1 != nil || err2 != nil || err3 != nil {
			continue
		}
		out = append(out, mapping{start: start, end: end, off: off,
			path: strings.Join(fs[5:], " "), file: fs[3] + ":" + fs[4]})
	}
	return out, s.Err()
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

// buildID is f's GNU build-id in hex, or "".
func buildID(f *elf.File) string {
	for _, s := range f.Sections {
		if s.Type != elf.SHT_NOTE {
			continue
		}
		data, err := s.Data()
		if err != nil {
			continue
		}
		for len(data) >= 12 {
			nsz, dsz, typ := f.ByteOrder.Uint32(data), f.ByteOrder.Uint32(data[4:]), f.ByteOrder.Uint32(data[8:])
			data = data[12:]
			nEnd := (uint64(nsz) + 3) &^ 3
			dEnd := nEnd + (uint64(dsz)+3)&^3
			if uint64(len(data)) < dEnd {
				break
			}
			if typ == 3 && nsz == 4 && string(data[:3]) == "GNU" {
				return hex.EncodeToString(data[nEnd : nEnd+uint64(dsz)])
			}
			data = data[dEnd:]
		}
	}
	return ""
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
