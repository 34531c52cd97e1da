package reliability

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"syscall"
	"testing"

	_ "github.com/probebox/probebox/applets"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/privs"
)

// errStop stops an applet whose arguments were accepted where it would
// start loading BPF: these tests are about the command line only.
var errStop = errors.New("arguments accepted; stopped before loading BPF")

// runArgs runs an applet in-process with args and returns its status and
// stderr.
func runArgs(a *applet.Applet, args []string) (int, string) {
	privs.OverrideCheckForTest(func() error { return errStop })
	defer privs.OverrideCheckForTest(nil) // the live tests check privileges for real
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // anything that waits returns at once
	var out, errOut bytes.Buffer
	status := a.Exec(ctx, args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut})
	return status, errOut.String()
}

// unusedPID is a PID no process has.
func unusedPID(t *testing.T) string {
	for pid := 4194303; pid > 1000000; pid-- {
		if syscall.Kill(pid, 0) == syscall.ESRCH {
			return itoa(pid)
		}
	}
	t.Fatal("no unused PID")
	return ""
}

// badValues are, by what a flag takes, values that must be refused with
// a usage error (exit 2).
func badValues(t *testing.T, f applet.Flag) []string {
	switch {
	case f.Kind == applet.Int:
		v := []string{"-1", "-2147483649", "99999999999999999999999", "", "\xff\x1b[2J", "1e3", "0x"}
		if f.Meta == "UID" || f.Meta == "GID" {
			v = append(v, "4294967295") // (uid_t)-1
		} else {
			v = append(v, "2147483648")
		}
		if f.Meta == "PID" || f.Meta == "PPID" || f.Meta == "TID" {
			v = append(v, "0", "4194305", unusedPID(t))
		}
		return v
	case f.Meta == "PATH" || f.Long == "cgroup":
		return []string{"/nonexistent/cgroup", "/tmp"} // missing; not cgroup2
	case f.Meta == "FILE" || f.Meta == "LIB":
		return []string{"/nonexistent/file"}
	case f.Meta == "DISK":
		return []string{"nonexistent-disk0"}
	}
	return nil
}

// Every flag of every applet refuses bad values with one clear line and
// exit status 2.
func TestBadFlagValues(t *testing.T) {
	for _, a := range applet.All() {
		t.Run(a.Name, func(t *testing.T) {
			for _, f := range a.Flags {
				name := "--" + f.Key()
				if f.Long == "" {
					name = "-" + f.Short
				}
				for _, v := range badValues(t, f) {
					status, stderr := runArgs(a, []string{name, v})
					if status != 2 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "--help)") {
						t.Errorf("%s %q: status %d, stderr %q; want a usage error (2) on one line", name, v, status, stderr)
					}
					if bad := unsafeOutput(stderr); bad != "" {
						t.Errorf("%s %q: stderr has %s", name, v, bad)
					}
				}
			}
			for i, arg := range a.Args {
				if arg.Name != "interval" && arg.Name != "count" {
					continue
				}
				for _, v := range []string{"-1", "0", "99999999999", "abc", "", "\xff"} {
					args := append([]string{"1", "1"}[:i], v)
					status, stderr := runArgs(a, args)
					if status != 2 {
						t.Errorf("%s %q: status %d, stderr %q; want 2", arg.Name, v, status, stderr)
					}
				}
			}
		})
	}
}
