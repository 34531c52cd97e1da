package reliability

import (
	"strings"
	"testing"

	"github.com/probebox/probebox/core/applet"
)

// FuzzArgs gives every applet random command lines: whatever they are,
// the applet must not panic, must print at most a clear one-line error,
// nothing unescaped, and exit 0, 1 or 2 (2 for any usage error). Its seed
// corpus (run by plain `go test`) has huge, negative and empty numbers,
// non-UTF-8, missing PIDs, cgroups, disks and files, for every flag.
func FuzzArgs(f *testing.F) {
	all := applet.All()
	for i, a := range all {
		for _, fl := range a.Flags {
			name := "--" + fl.Key()
			if fl.Long == "" {
				name = "-" + fl.Short
			}
			for _, v := range []string{"-1", "99999999999999999999", "2147483648", "", "\xff\xfe", "\x1b[2J", "4194303", "/nonexistent/cgroup", "/tmp", "nonexistent-disk0", "/nonexistent/file"} {
				f.Add(uint8(i), name+"\x00"+v)
			}
			f.Add(uint8(i), name)
		}
		f.Add(uint8(i), "1\x00-1")
		f.Add(uint8(i), "99999999999\x0099999999999")
		f.Add(uint8(i), "--\x00\xff")
		f.Add(uint8(i), "-")
	}
	f.Fuzz(func(t *testing.T, idx uint8, line string) {
		a := all[int(idx)%len(all)]
		args := strings.Split(line, "\x00")
		if !safeToRun(a.Name, args) {
			t.Skip()
		}
		status, stderr := runArgs(a, args)
		if strings.Contains(stderr, "internal error") {
			t.Fatalf("%s %q: panic: %s", a.Name, args, stderr)
		}
		if status < 0 || status > 2 {
			t.Fatalf("%s %q: status %d", a.Name, args, status)
		}
		if status == 2 && (strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "--help)")) {
			t.Fatalf("%s %q: usage error not on one clear line: %q", a.Name, args, stderr)
		}
		if status != 0 && stderr == "" {
			t.Fatalf("%s %q: status %d without a message", a.Name, args, status)
		}
		if bad := unsafeOutput(stderr); bad != "" {
			t.Fatalf("%s %q: stderr has %s: %q", a.Name, args, bad, stderr)
		}
	})
}

// safeToRun keeps the fuzzer away from what would run commands or read
// endless files: trace -c runs a shell command, and device or proc files
// never end.
func safeToRun(name string, args []string) bool {
	for _, a := range args {
		if strings.Contains(a, "/dev") || strings.Contains(a, "/proc") || strings.Contains(a, "/sys") {
			return false
		}
		if name == "trace" && strings.HasPrefix(a, "-") && strings.Contains(a, "c") {
			return false
		}
	}
	return true
}
