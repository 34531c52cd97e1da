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
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		return "", fmt.Errorf("gcc is not installed: no C workload (apt-get install gcc)")
	}
	src, exe := filepath.Join(b.dir, "cworkload.c"), filepath.Join(b.dir, "cworkload")
	if err := os.WriteFile(src, cWorkloadSource, 0o644); err != nil {
		return "", err
	}
	if out, err := exec.Command(gcc, "-O2", "-fno-omit-frame-pointer", "-o", exe, src).CombinedOutput(); err != nil {
		return "", fmt.Errorf("gcc: %v: %s", err, strings.TrimSpace(string(out)))
	}
	cWorkload = exe
	return exe, nil
}
