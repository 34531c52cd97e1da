package applet

import (
	"math"
	"os"
	"strconv"
	"syscall"
)

// pidMaxLimit is the kernel's PID_MAX_LIMIT: no PID is ever larger.
const pidMaxLimit = 4 << 20

// validate checks a value the user gave, by what kind of value it is, so
// that every applet (and every applet added later) rejects the same bad
// input the same way: exit 2 with a message naming the option.
//
//   - every Int flag takes 0 to 2147483647 (Meta "UID"/"GID": 0 to
//     4294967294): no bcc flag means anything negative, and larger values
//     would be truncated on their way into a 32-bit BPF constant (a UID of
//     2^32+1 tracing UID 1);
//   - Meta "PID", "PPID" or "TID" must name a process that exists now:
//     filtering on one that does not would trace nothing, silently;
//   - Meta "FILE" must name a file that exists (--btf).
func validate(f Flag, name, v string) error {
	if f.Kind == String && f.Meta == "FILE" {
		if _, err := os.Stat(v); err != nil {
			return Usagef("option %s: %v", name, err)
		}
	}
	if f.Kind != Int {
		return nil
	}
	n, err := strconv.ParseInt(v, 0, 64)
	if err != nil {
		return Usagef("invalid value %q for option %s", v, name)
	}
	limit := int64(math.MaxInt32)
	if f.Meta == "UID" || f.Meta == "GID" {
		limit = math.MaxUint32 - 1 // (uid_t)-1 means "no ID"
	}
	if n < 0 || n > limit {
		return Usagef("invalid value %d for option %s: want a number from 0 to %d", n, name, limit)
	}
	switch f.Meta {
	case "PID", "PPID", "TID":
		if n < 1 || n > pidMaxLimit {
			return Usagef("invalid %s %d for option %s: PIDs are 1 to %d", f.Meta, n, name, pidMaxLimit)
		}
		if syscall.Kill(int(n), 0) == syscall.ESRCH {
			return Usagef("no process with %s %d (option %s)", f.Meta, n, name)
		}
	}
	return nil
}
