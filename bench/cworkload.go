package main

import (
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// cWorkloadSource: the workloads a Go helper cannot be (C library
// allocations, a C function to count), built with gcc when the bench runs.
//
//go:embed cworkload/cworkload.c
var cWorkloadSource []byte

// cModes are the helper modes cworkload runs (startWorkload starts it for
// them, with the mode as its first argument).
var cModes = map[string]bool{"mallocloop": true, "callloop": true}

// cWorkload is the built cworkload ("" until buildCWorkload succeeds).
var cWorkload string

// buildCWorkload compiles cworkload.c into the scratch directory (-O2,
// frame pointers kept for memleak's stack walk, dynamically linked: the
// tools probe the system's libc) and returns its path.
func (b *bench) buildCWorkload() (string, error) {
	if cWorkload != "" {
		return cWorkload, nil
	}
	exe, err := b.compileCWorkload("cworkload", "-fno-omit-frame-pointer")
	if err != nil {
		return "", err
	}
	cWorkload = exe
	return exe, nil
}

// compileCWorkload compiles cworkload.c with -O2 and flags into the
// scratch directory as name.
func (b *bench) compileCWorkload(name string, flags ...string) (string, error) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		return "", fmt.Errorf("gcc is not installed: no C workload (apt-get install gcc)")
	}
	src, exe := filepath.Join(b.dir, "cworkload.c"), filepath.Join(b.dir, name)
	if err := os.WriteFile(src, cWorkloadSource, 0o644); err != nil {
		return "", err
	}
	args := append(append([]string{"-O2"}, flags...), "-o", exe, src)
	if out, err := exec.Command(gcc, args...).CombinedOutput(); err != nil {
		return "", fmt.Errorf("gcc: %v: %s", err, strings.TrimSpace(string(out)))
	}
	return exe, nil
}
