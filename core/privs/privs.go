// Package privs checks, before anything is loaded, that the process may
// load and attach BPF programs, so that users get one clear line instead of
// an EPERM from deep inside the loader.
package privs

import (
	"bufio"
	"errors"
	"io"
	"os"
	"strconv"
	"strings"
)

// Capability bits (linux/capability.h).
const (
	capSysAdmin = 21
	capPerfmon  = 38
	capBPF      = 39
)

// ErrNotPrivileged is returned when the capabilities are missing.
var ErrNotPrivileged = errors.New("not enough privileges to trace: run as root (sudo), or grant CAP_BPF and CAP_PERFMON")

// Check reads this process's effective capabilities. Every path that
// loads BPF calls it first, after the command line was validated.
func Check() error {
	if checkOverride != nil {
		return checkOverride()
	}
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return nil // cannot tell; let the kernel decide
	}
	defer f.Close()
	return checkStatus(f)
}

// checkStatus checks the CapEff line of a /proc/PID/status text.
func checkStatus(r io.Reader) error {
	s := bufio.NewScanner(r)
	for s.Scan() {
		v, ok := strings.CutPrefix(s.Text(), "CapEff:")
		if !ok {
			continue
		}
		caps, err := strconv.ParseUint(strings.TrimSpace(v), 16, 64)
		if err != nil {
			return nil
		}
		return fromCaps(caps)
	}
	return nil
}

func fromCaps(caps uint64) error {
	has := func(bit uint) bool { return caps&(1<<bit) != 0 }
	if has(capSysAdmin) || (has(capBPF) && has(capPerfmon)) {
		return nil
	}
	return ErrNotPrivileged
}

var checkOverride func() error

// OverrideCheckForTest makes Check return f's result: argument fuzzing
// stops every applet at the point where it would start loading BPF.
func OverrideCheckForTest(f func() error) { checkOverride = f }
