// Package vfssys is the system call stand-in of the tools that count
// vfs_* functions (vfscount, vfsstat) where the kernel cannot trace the
// functions: which system calls lead to which function, as a table by
// this architecture's numbers (core/sysnames) for the one BPF program on
// sys_enter of bpfobj/include/vfssys.bpf.h, and the hook candidates that
// attach it.
//
// Why one program and a table rather than a tracepoint per call: one
// attachment to make and, at exit, one tracepoint to unregister instead of
// some forty, and calls an architecture lacks (open, creat on arm64) are
// simply absent from its numbers.
package vfssys

import (
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/sysnames"
)

// How an entry reads its call (PB_VFSSYS_* of vfssys.bpf.h).
type How uint8

const (
	none     How = iota
	plain        // counts under its function
	open         // the function, and Alt too when the flags have O_CREAT
	openat2      // as open, the flags in the struct open_how at the argument
	creat        // the function and Alt
	mknod        // Alt for a regular file's mode, else the function
	unlinkat     // Alt when the flags have AT_REMOVEDIR, else the function
)

// call is one system call of the stand-in: the vfs function it leads to,
// and, where one argument decides (arg: the second or third), the other
// function it may lead to instead or as well.
type call struct {
	sys, fn string
	how     How
	arg     uint8
	alt     string
}

var calls = []call{
	{sys: "read", fn: "vfs_read"}, {sys: "pread64", fn: "vfs_read"},
	{sys: "readv", fn: "vfs_readv"}, {sys: "preadv", fn: "vfs_readv"}, {sys: "preadv2", fn: "vfs_readv"},
	{sys: "write", fn: "vfs_write"}, {sys: "pwrite64", fn: "vfs_write"},
	{sys: "writev", fn: "vfs_writev"}, {sys: "pwritev", fn: "vfs_writev"}, {sys: "pwritev2", fn: "vfs_writev"},
	{sys: "open", fn: "vfs_open", how: open, arg: 1, alt: "vfs_create"},
	{sys: "openat", fn: "vfs_open", how: open, arg: 2, alt: "vfs_create"},
	{sys: "openat2", fn: "vfs_open", how: openat2, arg: 2, alt: "vfs_create"},
	{sys: "creat", fn: "vfs_open", how: creat, alt: "vfs_create"},
	{sys: "fsync", fn: "vfs_fsync_range"}, {sys: "fdatasync", fn: "vfs_fsync_range"},
	{sys: "unlink", fn: "vfs_unlink"}, {sys: "unlinkat", fn: "vfs_unlink", how: unlinkat, arg: 2, alt: "vfs_rmdir"},
	{sys: "rmdir", fn: "vfs_rmdir"}, {sys: "mkdir", fn: "vfs_mkdir"}, {sys: "mkdirat", fn: "vfs_mkdir"},
	{sys: "rename", fn: "vfs_rename"}, {sys: "renameat", fn: "vfs_rename"}, {sys: "renameat2", fn: "vfs_rename"},
	{sys: "stat", fn: "vfs_statx"}, {sys: "lstat", fn: "vfs_statx"}, {sys: "newfstatat", fn: "vfs_statx"}, {sys: "statx", fn: "vfs_statx"},
	{sys: "fstat", fn: "vfs_fstat"}, {sys: "lseek", fn: "vfs_llseek"}, {sys: "fallocate", fn: "vfs_fallocate"},
	{sys: "truncate", fn: "vfs_truncate"}, {sys: "symlink", fn: "vfs_symlink"}, {sys: "symlinkat", fn: "vfs_symlink"},
	{sys: "link", fn: "vfs_link"}, {sys: "linkat", fn: "vfs_link"},
	{sys: "readlink", fn: "vfs_readlink"}, {sys: "readlinkat", fn: "vfs_readlink"},
	{sys: "mknod", fn: "vfs_mknod", how: mknod, arg: 1, alt: "vfs_create"},
	{sys: "mknodat", fn: "vfs_mknod", how: mknod, arg: 2, alt: "vfs_create"},
}

// Entry is one system call's entry of the table (struct pb_vfssys).
type Entry struct {
	How       How
	Slot, Alt uint8
	Arg       uint8
}

// MaxSyscall is PB_VFSSYS_MAX: the numbers the table covers.
const MaxSyscall = 512

// noSlot is PB_VFSSYS_NO_SLOT: a function the tool does not count.
const noSlot = 0xff

// TableVar is the name of the table's const volatile in the BPF object.
const TableVar = "vfssys_table"

// Table is the stand-in's table by this architecture's system call
// numbers; slot gives the tool's counter of a vfs function (below 255),
// false for one it does not count. A call leading to no counted function
// is left out, as are calls the architecture lacks.
func Table(slot func(fn string) (uint8, bool)) (t [MaxSyscall]Entry) {
	slotOf := func(fn string) uint8 {
		if fn == "" {
			return noSlot
		}
		if s, ok := slot(fn); ok && s != noSlot {
			return s
		}
		return noSlot
	}
	for _, c := range calls {
		nr, ok := sysnames.Number(c.sys)
		if !ok || nr < 0 || nr >= MaxSyscall {
			continue
		}
		e := Entry{How: c.how, Slot: slotOf(c.fn), Alt: slotOf(c.alt), Arg: c.arg}
		if e.How == none {
			e.How = plain
		}
		if e.Slot == noSlot && e.Alt == noSlot {
			continue
		}
		t[nr] = e
	}
	return t
}

// Candidates are the hook candidates of the stand-in, best first: a raw
// tracepoint on sys_enter, else the raw_syscalls:sys_enter tracepoint;
// limits says what the tool's stand-in counts instead of the functions.
func Candidates(limits string) []attach.Candidate {
	return []attach.Candidate{
		{Attach: []attach.Attachment{{Kind: attach.RawTracepoint, Target: "sys_enter", Program: "raw_sys_enter"}}, Limits: limits},
		{Attach: []attach.Attachment{{Kind: attach.Tracepoint, Group: "raw_syscalls", Target: "sys_enter", Program: "tp_sys_enter"}}, Limits: limits},
	}
}
