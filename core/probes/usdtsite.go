package probes

import (
	"debug/elf"
	"fmt"
)

// USDTSite is one place a USDT probe is compiled into a file, placed as
// uprobes take it: the site's file offset, and its semaphore's file
// offset (0: none; the kernel counts it up while a uprobe with that
// reference counter is attached, which switches the probe on).
type USDTSite struct {
	Provider, Name, Args string
	Offset, SemOffset    uint64
}

// USDTSites reads path's SDT notes and places each site and semaphore in
// the file.
func USDTSites(path string) ([]USDTSite, error) {
	notes, err := USDTNotes(path)
	if err != nil || len(notes) == 0 {
		return nil, err
	}
	f, err := elf.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Prelinking moves .stapsdt.base; a site moves with it.
	var base uint64
	if s := f.Section(".stapsdt.base"); s != nil {
		base = s.Addr
	}
	var out []USDTSite
	for _, n := range notes {
		pc := n.PC
		if base != 0 && n.Base != 0 {
			pc += base - n.Base
		}
		off, ok := fileOffset(f, pc)
		if !ok {
			return nil, fmt.Errorf("%s: USDT probe %s:%s at %#x is in no loaded segment", path, n.Provider, n.Name, pc)
		}
		site := USDTSite{Provider: n.Provider, Name: n.Name, Args: n.Args, Offset: off}
		if n.Semaphore != 0 {
			if site.SemOffset, ok = fileOffset(f, n.Semaphore); !ok {
				return nil, fmt.Errorf("%s: USDT semaphore of %s:%s at %#x is in no loaded segment", path, n.Provider, n.Name, n.Semaphore)
			}
		}
		out = append(out, site)
	}
	return out, nil
}

// fileOffset turns a virtual address into its offset in the file.
func fileOffset(f *elf.File, vaddr uint64) (uint64, bool) {
	for _, p := range f.Progs {
		if p.Type == elf.PT_LOAD && vaddr >= p.Vaddr && vaddr < p.Vaddr+p.Memsz {
			return vaddr - p.Vaddr + p.Off, true
		}
	}
	return 0, false
}
