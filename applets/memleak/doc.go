// Package memleak shows outstanding memory allocations, combined by the
// stack that made them, every interval (default 5 seconds), as
// libbpf-tools' memleak does: of the kernel, or with -p PID of a process's
// allocator.
//
// Every allocation is kept in a BPF hash map under its address, with its
// size, time and stack, until it is freed; each interval prints what is
// left (at least -o AGE_MS old), combined by stack, the -T TOP largest.
// Hooks: for the kernel, the kmem tracepoints (kmalloc, kmem_cache_alloc,
// mm_page_alloc and their frees; the _node variants before 6.2); for a
// process, uprobes and uretprobes on its libc's malloc, calloc, realloc,
// free, mmap, munmap, posix_memalign, aligned_alloc, memalign, valloc and
// pvalloc (those it has), the library found in the process's own maps and
// opened through /proc/PID/root, so a process in a container gets its own
// libc; -O OBJECT names another allocator (a static binary's). -z/-Z keep
// sizes in a range and -s N one allocation in N, in the kernel, before a
// stack is taken (the costly part). Allocations the full map refused and
// stacks the stack map could not store are counted and reported.
//
// On the development machine, the live test's C helper (50 mallocs of
// 4000 bytes from pbx_leaky never freed, 100 more freed):
//
//	# memleak -p 15506 1
//	Attaching to pid 15506, Ctrl+C to quit.
//	[0:58:26] Top 2 stacks with outstanding allocations:
//	200000 bytes in 50 allocations from stack
//		0 [<00005570904d8186>] pbx_leaky+0x1d [leaky]
//		1 [<00005570904d81c9>] main+0x32 [leaky]
//		2 [<00007f8d1479824a>] __libc_init_first+0x8a [libc.so.6]
//	4096 bytes in 1 allocations from stack
//		0 [<00007f8d147e68cc>] _IO_file_doallocate+0x8c [libc.so.6]
//
// and the kernel (the first of three stacks):
//
//	# memleak -T 3 2 1
//	Attaching to kernel allocators, Ctrl+C to quit.
//	[0:57:31] Top 3 stacks with outstanding allocations:
//	69435392 bytes in 16952 allocations from stack
//		0 [<ffffffff8163bbbb>] __alloc_frozen_pages_noprof+0x26b
//		1 [<ffffffff81675fb6>] alloc_pages_mpol+0x86
//		2 [<ffffffff816790ea>] vma_alloc_folio_noprof+0x6a
//		3 [<ffffffff81604d1f>] do_anonymous_page+0x1ff
//		4 [<ffffffff816074e4>] __handle_mm_fault+0xa64
//		5 [<ffffffff81607ae0>] handle_mm_fault+0xd0
//		6 [<ffffffff8225fcc6>] exc_page_fault+0x176
//		7 [<ffffffff81000c82>] asm_exc_page_fault+0x22
//
// A process's stacks (--unwind, as in profile): by default (auto) they
// are walked in BPF with .eh_frame unwind tables (core/unwind,
// bpfobj/include/unwind.bpf.h), loaded for -p's process before the probes
// are attached, so allocations from code built without frame pointers
// (Debian's libc) show their whole stack; --unwind=fp is the kernel's
// frame-pointer walk, as libbpf-tools and bcc use, which stops early. -v
// names each binary's table and counts the frames. The unwinder's test
// program (-O2 -fomit-frame-pointer; libc's qsort mallocs a buffer that is
// outstanding while it sorts), both ways:
//
//	# memleak -p 26946 1 1
//	Attaching to pid 26946, Ctrl+C to quit.
//	[3:46:21] Top 1 stacks with outstanding allocations:
//	16384 bytes in 1 allocations from stack
//		0 [<00007f85aad1cdbd>] qsort_r+0x13d [libc.so.6]
//		1 [<00005564650ee0ed>] main+0x4d [hot]
//		2 [<00007f85aad0424a>] __libc_start_call_main+0x7a [libc.so.6]
//		3 [<00007f85aad04305>] __libc_start_main_impl+0x85 [libc.so.6]
//		4 [<00005564650ee141>] _start+0x21 [hot]
//
//	# memleak -p 26946 --unwind=fp 1 1
//	Attaching to pid 26946, Ctrl+C to quit.
//	[3:46:25] Top 1 stacks with outstanding allocations:
//	16384 bytes in 1 allocations from stack
//		0 [<00007f85aad1cdbd>] qsort_r+0x13d [libc.so.6]
//		1 [<00005564650ee0ed>] main+0x4d [hot]
//
// -a adds "addr = 0x... size = N" lines per allocation. --json prints one
// object per interval: time, stacks [{"bytes", "allocations", "addresses"
// (with -a) [{"addr", "size"}], "stack_missed", "stack" [frames]}],
// not_counted {"allocs", "stack_traces", "pending"}.
//
// Not carried over from libbpf-tools: -c COMMAND, -t (a line per call),
// -C/-F, -P (percpu) and the stack-depth options.
package memleak
