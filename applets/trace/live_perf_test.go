package trace

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/livetest"
)

// TestLiveSoftwarePageFaults: software:page-faults:1 (and its alias
// faults) runs once per fault: the test touches 64 fresh anonymous pages.
func TestLiveSoftwarePageFaults(t *testing.T) {
	const pages = 64
	tool := startTrace(t, fmt.Sprintf(`software:page-faults:1 /pid == %d/ { @pf = count(); } software:faults:1 /pid == %d/ { @alias = count(); }`, os.Getpid(), os.Getpid()))
	mem, err := unix.Mmap(-1, 0, pages*os.Getpagesize(), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(mem)
	for i := 0; i < pages; i++ {
		mem[i*os.Getpagesize()] = 1
	}
	time.Sleep(200 * time.Millisecond)
	out := stopAndOutput(t, tool)
	for _, name := range []string{"pf", "alias"} {
		m := regexp.MustCompile(`\n@` + name + `: (\d+)\n`).FindStringSubmatch(out)
		if m == nil {
			t.Errorf("no @%s in\n%s", name, out)
			continue
		}
		if n, _ := strconv.Atoi(m[1]); n < pages {
			t.Errorf("@%s = %d page faults, want at least the test's %d", name, n, pages)
		}
	}
}

// TestLiveHardwareCycles: where the machine has a cycles counter, the
// probe counts; where it has none (most virtual machines, this host),
// one line says so and trace exits 1.
func TestLiveHardwareCycles(t *testing.T) {
	livetest.Require(t)
	attr := unix.PerfEventAttr{Type: unix.PERF_TYPE_HARDWARE, Config: unix.PERF_COUNT_HW_CPU_CYCLES, Size: uint32(unsafe.Sizeof(unix.PerfEventAttr{})), Sample: 1000000}
	fd, err := unix.PerfEventOpen(&attr, -1, 0, -1, unix.PERF_FLAG_FD_CLOEXEC)
	if err == nil {
		unix.Close(fd)
	}
	tool := livetest.Start(t, Applet, "-e", `hardware:cycles:100000 { @c = count(); } interval:ms:500 { exit(); }`)
	status, exited := tool.Exited(wait)
	if !exited {
		t.Fatal("trace did not exit")
	}
	if err != nil {
		errs := tool.Stderr()
		if status != 1 || len(errs) != 1 || !strings.Contains(errs[0], "no hardware counter") {
			t.Errorf("no PMU here (%v): want exit 1 and one line naming it, got %d %q", err, status, errs)
		}
		return
	}
	out := strings.Join(tool.Stdout(), "\n")
	if status != 0 || !regexp.MustCompile(`@c: [1-9]\d*`).MatchString(out) {
		t.Errorf("status %d, no cycles counted in\n%s\nstderr %q", status, out, tool.Stderr())
	}
}
