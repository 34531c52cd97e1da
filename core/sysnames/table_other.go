//go:build !amd64 && !arm64

package sysnames

import "runtime"

// Arch: no table was generated for this architecture; every syscall is
// printed by number.
const Arch = runtime.GOARCH

var table = map[int]string{}
