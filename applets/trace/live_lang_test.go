package trace

import "testing"

// One-liners of the language's features, each compared with Debian's
// bpftrace: same program, same output.

// TestLivePreprocessorSameAsBpftrace: the shebang, a libc header's
// constants, a kernel header satisfied from BTF, #define, #ifndef/#else
// on BPFTRACE_HAVE_BTF, and a struct defined in the program read through
// a cast (over kernel text, the same bytes for both).
func TestLivePreprocessorSameAsBpftrace(t *testing.T) {
	sameAsBpftrace(t, `#!/usr/bin/env bpftrace
#include <sys/socket.h>
#include <linux/types.h>
#define NAME_LEN 5
#define TWICE (NAME_LEN * 2)
#ifndef BPFTRACE_HAVE_BTF
#define WHICH 1
#else
#define WHICH 2
struct banner { char a[NAME_LEN]; char b[8]; int c; struct banner *next; unsigned short d; };
#endif
BEGIN { $p = (struct banner *)kaddr("vfs_read"); printf("%d %d %d %d %d\n", $p->c, $p->d, $p->next != 0, TWICE + AF_INET6, WHICH); exit(); }`)
}
