// Package unwind turns the call frame information of an ELF file
// (.eh_frame, which distributions keep even in stripped binaries built
// without frame pointers) into compact rows the BPF stack walker follows:
// for each address range, where the canonical frame address is (stack
// pointer or frame pointer plus an offset) and where the return address
// and the caller's frame pointer were saved. The CIE/FDE parser and the
// call frame instruction interpreter are here; the BPF side is
// bpfobj/include/unwind.bpf.h, and tables are loaded into maps by
// core/unwind's Loader.
package unwind
