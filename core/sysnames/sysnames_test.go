package sysnames

import (
	"github.com/probebox/probebox/core/tracefs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

func TestKnownNumbers(t *testing.T) {
	for name, nr := range map[string]int{
		"openat": unix.SYS_OPENAT, "getppid": unix.SYS_GETPPID, "nanosleep": unix.SYS_NANOSLEEP,
		"read": unix.SYS_READ, "exit_group": unix.SYS_EXIT_GROUP, "clone3": unix.SYS_CLONE3,
	} {
		if got := Name(nr); got != name {
			t.Errorf("Name(%d) = %q, want %q", nr, got, name)
		}
		if got, ok := Number(name); !ok || got != nr {
			t.Errorf("Number(%q) = %d, %v; want %d", name, got, ok, nr)
		}
	}
	if got := Name(100000); got != "[unknown: 100000]" {
		t.Errorf("Name(100000) = %q", got)
	}
}

// TestAgainstKernel: the running kernel's syscall tracepoints are named
// after its syscalls; nearly all of them must be in this architecture's
// table (the few that differ are the kernel's "new" variants and the like).
func TestAgainstKernel(t *testing.T) {
	tfs, err := tracefs.Dir() // mounts tracefs where it is not yet
	if err != nil {
		if os.Getenv("PROBEBOX_LIVE") == "1" {
			t.Fatalf("PROBEBOX_LIVE=1 but no tracefs: %v", err)
		}
		t.Skipf("no tracefs (%v): run as root, or set PROBEBOX_LIVE=1 to make this a failure", err)
	}
	dir := filepath.Join(tfs, "events", "syscalls")
	ents, _ := filepath.Glob(filepath.Join(dir, "sys_enter_*"))
	var known, missing int
	var examples []string
	for _, e := range ents {
		name := strings.TrimPrefix(filepath.Base(e), "sys_enter_")
		if _, ok := Number(name); ok {
			known++
		} else {
			missing++
			examples = append(examples, name)
		}
	}
	if known == 0 || missing*10 > known+missing {
		t.Errorf("%d of %d syscall tracepoints have no name in the %s table: %v", missing, known+missing, Arch, examples)
	}
}

// TestArm64Table checks the arm64 table, which this test binary only
// compiles on arm64, from its source: the asm-generic numbers arm64 uses
// are not x86_64's.
func TestArm64Table(t *testing.T) {
	src, err := os.ReadFile("table_arm64.go")
	if os.IsNotExist(err) {
		t.Skip("no source tree here (a test binary copied to a kernel matrix guest)")
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`56:  "openat"`, `63:  "read"`, `94:  "exit_group"`, `101: "nanosleep"`,
		`129: "kill"`, `173: "getppid"`, `435: "clone3"`,
	} {
		if !strings.Contains(string(src), "\t"+want+",") {
			t.Errorf("arm64 table lacks %s", want)
		}
	}
	if strings.Contains(string(src), `"open"`) || strings.Contains(string(src), `"stat"`) {
		t.Error("arm64 has no open() or stat() syscalls, yet the table names them")
	}
}
