package attach

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"sync"
)

// KernelFunction returns the name under which the kernel function name can
// be kprobed: name itself, or the symbol the compiler made of it
// (name.isra.0, name.constprop.0, name.part.0, name.llvm.<hash> under
// ThinLTO). Distribution kernels rename functions
// this way and tools that attach by the source name then fail.
func KernelFunction(name string) (string, error) {
	names, err := kernelTextSymbols()
	if err != nil {
		return "", fmt.Errorf("reading kernel symbols: %w", err)
	}
	return renamedFunction(names, name)
}

// renamedFunction finds name or its compiler rename among names.
func renamedFunction(names map[string]bool, name string) (string, error) {
	if names[name] {
		return name, nil
	}
	// Memory allocation profiling (6.10+) renamed allocators to
	// name_noprof behind a macro: the function is the same.
	if names[name+"_noprof"] {
		return name + "_noprof", nil
	}
	// Prefer the renames that keep the function whole; .part.N is a split
	// function's outlined part, taken last.
	for _, kind := range []string{".isra.", ".constprop.", ".llvm.", ".part."} {
		if n, ok := renamed(names, name+kind); ok {
			return n, nil
		}
	}
	return "", fmt.Errorf("no kernel function %s (not in /proc/kallsyms, nor renamed by the compiler: inlined or removed)", name)
}

// renamed returns the lowest-sorting symbol starting with prefix.
func renamed(names map[string]bool, prefix string) (string, bool) {
	best := ""
	for n := range names {
		if strings.HasPrefix(n, prefix) && (best == "" || n < best) {
			best = n
		}
	}
	return best, best != ""
}

var (
	ksymsOnce  sync.Once
	ksymsNames map[string]bool
	ksymsErr   error
)

// kernelTextSymbols reads the function names of /proc/kallsyms once.
func kernelTextSymbols() (map[string]bool, error) {
	ksymsOnce.Do(func() {
		f, err := os.Open("/proc/kallsyms")
		if err != nil {
			ksymsErr = err
			return
		}
		defer f.Close()
		ksymsNames = map[string]bool{}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			// "ffffffff81000000 T _stext" (modules add "\t[mod]")
			fields := strings.Fields(sc.Text())
			if len(fields) < 3 || (fields[1] != "t" && fields[1] != "T") {
				continue
			}
			ksymsNames[fields[2]] = true
		}
		ksymsErr = sc.Err()
	})
	return ksymsNames, ksymsErr
}
