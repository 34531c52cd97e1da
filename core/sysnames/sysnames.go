// Package sysnames names Linux system calls by number for the
// architecture probebox is built for (Arch): raw_syscalls tracepoints and
// syscall-counting tools see only numbers.
//
// Why generated tables per GOARCH rather than reading the running kernel:
// the kernel exports no number-to-name map that works everywhere (the
// syscalls tracepoints carry names but not numbers; sys_call_table needs
// kallsyms and kernel memory reads), while the numbers are the
// architecture's ABI, fixed once assigned. The tables come from
// golang.org/x/sys/unix, generated from each architecture's uapi unistd.h
// (x86_64's syscall_64.tbl numbering, arm64's asm-generic numbering), so a
// binary built for arm64 names arm64's numbers, not x86_64's. Numbers newer
// than the table (a kernel newer than x/sys) are printed as numbers.
package sysnames

//go:generate go run ./internal/gen

import (
	"sort"
	"strconv"
)

// Name returns the syscall's name, or "[unknown: N]".
func Name(nr int) string {
	if n, ok := table[nr]; ok {
		return n
	}
	return "[unknown: " + strconv.Itoa(nr) + "]"
}

// Known reports whether nr has a name here.
func Known(nr int) bool {
	_, ok := table[nr]
	return ok
}

// Number finds a syscall by name.
func Number(name string) (int, bool) {
	for nr, n := range table {
		if n == name {
			return nr, true
		}
	}
	return 0, false
}

// Numbers returns every known number, ascending.
func Numbers() []int {
	nrs := make([]int, 0, len(table))
	for nr := range table {
		nrs = append(nrs, nr)
	}
	sort.Ints(nrs)
	return nrs
}
