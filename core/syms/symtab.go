package syms

import (
	"debug/elf"
	"errors"
	"fmt"
)

// readFuncSymbols returns the function symbols (STT_FUNC, non-zero
// address, named) of the symbol table section typ (SHT_SYMTAB or
// SHT_DYNSYM), reading the table itself instead of through
// elf.File.Symbols, which makes a Symbol and a string for every entry:
// names here are substrings of one string of the string table, and
// non-functions (most of a large program's entries) cost nothing. That
// halved reading a large file's symbols, which a system-wide profile
// does at print time for every file its frames fall in (measured).
// elf.ErrNoSymbols: no such section.
func readFuncSymbols(f *elf.File, typ elf.SectionType, add func(name string, addr uint64)) error {
	var sec *elf.Section
	for _, s := range f.Sections {
		if s.Type == typ {
			sec = s
			break
		}
	}
	if sec == nil {
		return elf.ErrNoSymbols
	}
	if sec.Link == 0 || int(sec.Link) >= len(f.Sections) {
		return errors.New("symbol table without a string table")
	}
	data, err := sec.Data()
	if err != nil {
		return fmt.Errorf("symbol table: %w", err)
	}
	raw, err := f.Sections[sec.Link].Data()
	if err != nil {
		return fmt.Errorf("string table: %w", err)
	}
	strs := string(raw)
	bo := f.ByteOrder
	size := elf.Sym64Size
	if f.Class == elf.ELFCLASS32 {
		size = elf.Sym32Size
	}
	// The first entry is the undefined symbol.
	for off := size; off+size <= len(data); off += size {
		e := data[off : off+size]
		var name uint32
		var info byte
		var value uint64
		if f.Class == elf.ELFCLASS32 {
			name, value, info = bo.Uint32(e), uint64(bo.Uint32(e[4:])), e[12]
		} else {
			name, info, value = bo.Uint32(e), e[4], bo.Uint64(e[8:])
		}
		if elf.ST_TYPE(info) != elf.STT_FUNC || value == 0 || name == 0 || int(name) >= len(strs) {
			continue
		}
		end := int(name)
		for end < len(strs) && strs[end] != 0 {
			end++
		}
		if end > int(name) {
			add(strs[name:end], value)
		}
	}
	return nil
}
