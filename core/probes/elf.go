package probes

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"os/exec"
	"sort"
	"strings"
)

// binaryProbes lists uprobe (function symbols) or usdt (stapsdt notes)
// probes of the binary named in glob: "uprobe:/bin/bash:read*".
func (l *Lister) binaryProbes(kind, glob string, match func(string) error) error {
	_, rest, _ := strings.Cut(glob, ":")
	bin, _, _ := strings.Cut(rest, ":")
	if bin == "" || HasWildcard(bin) {
		return fmt.Errorf("%s probes are listed per binary: %s:/path/to/binary:*", kind, kind)
	}
	path, err := ResolveBinary(bin)
	if err != nil {
		return err
	}
	// Match against names built with the path the user wrote.
	if kind == "usdt" {
		notes, err := USDTNotes(path)
		if err != nil {
			return err
		}
		var names []string
		for _, n := range notes {
			names = append(names, fmt.Sprintf("usdt:%s:%s:%s", bin, n.Provider, n.Name))
		}
		return emitSorted(names, match)
	}
	syms, err := FunctionSymbols(path)
	if err != nil {
		return err
	}
	names := make([]string, len(syms))
	for i, s := range syms {
		names[i] = kind + ":" + bin + ":" + s
	}
	return emitSorted(names, match)
}

// ResolveBinary finds a binary by path or in $PATH, as bpftrace does.
func ResolveBinary(name string) (string, error) {
	if strings.Contains(name, "/") {
		return name, nil
	}
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("binary %q not found in PATH", name)
	}
	return p, nil
}

// FunctionSymbols returns the names of the defined functions in an ELF
// file's .symtab and .dynsym.
func FunctionSymbols(path string) ([]string, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer f.Close()
	seen := map[string]bool{}
	var out []string
	for _, read := range []func() ([]elf.Symbol, error){f.Symbols, f.DynamicSymbols} {
		syms, err := read()
		if err != nil && !errors.Is(err, elf.ErrNoSymbols) {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		for _, s := range syms {
			if elf.ST_TYPE(s.Info) != elf.STT_FUNC || s.Section == elf.SHN_UNDEF || s.Name == "" || seen[s.Name] {
				continue
			}
			seen[s.Name] = true
			out = append(out, s.Name)
		}
	}
	sort.Strings(out)
	return out, nil
}

// USDTNote is one statically defined tracing probe (SystemTap SDT note).
type USDTNote struct {
	Provider, Name, Args string
	PC, Base, Semaphore  uint64
}

// USDTNotes reads the .note.stapsdt section of an ELF file.
func USDTNotes(path string) ([]USDTNote, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer f.Close()
	sec := f.Section(".note.stapsdt")
	if sec == nil {
		return nil, nil
	}
	data, err := sec.Data()
	if err != nil {
		return nil, fmt.Errorf("%s: reading .note.stapsdt: %w", path, err)
	}
	return parseStapsdt(data, f.ByteOrder, f.Class == elf.ELFCLASS64)
}

func parseStapsdt(data []byte, bo binary.ByteOrder, is64 bool) ([]USDTNote, error) {
	align4 := func(n uint32) uint32 { return (n + 3) &^ 3 }
	var notes []USDTNote
	for len(data) >= 12 {
		namesz, descsz, typ := bo.Uint32(data[0:]), bo.Uint32(data[4:]), bo.Uint32(data[8:])
		data = data[12:]
		if uint64(align4(namesz))+uint64(align4(descsz)) > uint64(len(data)) {
			return notes, errors.New("truncated .note.stapsdt")
		}
		name := data[:namesz]
		desc := data[align4(namesz) : align4(namesz)+descsz]
		data = data[align4(namesz)+align4(descsz):]
		if typ != 3 || !bytes.Equal(bytes.TrimRight(name, "\x00"), []byte("stapsdt")) {
			continue
		}
		addrSize := 4
		if is64 {
			addrSize = 8
		}
		if len(desc) < 3*addrSize {
			continue
		}
		addr := func(i int) uint64 {
			if is64 {
				return bo.Uint64(desc[i*8:])
			}
			return uint64(bo.Uint32(desc[i*4:]))
		}
		strs := bytes.SplitN(desc[3*addrSize:], []byte{0}, 4)
		if len(strs) < 3 {
			continue
		}
		notes = append(notes, USDTNote{
			PC: addr(0), Base: addr(1), Semaphore: addr(2),
			Provider: string(strs[0]), Name: string(strs[1]), Args: string(strs[2]),
		})
	}
	return notes, nil
}
