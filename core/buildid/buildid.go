// Package buildid reads an ELF file's GNU build-id, the identity the
// symbolizer finds debug files by and the unwinder caches tables by.
package buildid

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"encoding/hex"
)

// ntGNUBuildID is NT_GNU_BUILD_ID, the note type of a build-id.
const ntGNUBuildID = 3

// Of is f's GNU build-id in hex, or "" when it has none.
func Of(f *elf.File) string {
	for _, s := range f.Sections {
		if s.Type != elf.SHT_NOTE {
			continue
		}
		data, err := s.Data()
		if err != nil {
			continue
		}
		if id := findNote(data, f.ByteOrder, ntGNUBuildID, "GNU"); id != nil {
			return hex.EncodeToString(id)
		}
	}
	return ""
}

// findNote walks ELF notes: namesz, descsz, type, name, desc, each padded
// to 4 bytes.
func findNote(data []byte, bo binary.ByteOrder, typ uint32, name string) []byte {
	for len(data) >= 12 {
		nsz, dsz, t := bo.Uint32(data), bo.Uint32(data[4:]), bo.Uint32(data[8:])
		data = data[12:]
		nEnd := (uint64(nsz) + 3) &^ 3
		dEnd := nEnd + (uint64(dsz)+3)&^3
		if uint64(len(data)) < dEnd {
			return nil
		}
		if t == typ && string(bytes.TrimRight(data[:nsz], "\x00")) == name {
			return data[nEnd : nEnd+uint64(dsz)]
		}
		data = data[dEnd:]
	}
	return nil
}
