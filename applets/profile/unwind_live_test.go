package profile

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/syms"
	"github.com/probebox/probebox/core/unwind"
	"github.com/probebox/probebox/core/unwind/unwindtest"
)

// folded parses folded lines into stacks (root first, the process name
// left out) and their sample counts.
func folded(t *testing.T, lines []string) (stacks [][]string, counts []uint64) {
	t.Helper()
	for _, l := range lines {
		i := strings.LastIndexByte(l, ' ')
		n, err := strconv.ParseUint(l[i+1:], 10, 64)
		if i < 0 || err != nil {
			t.Fatalf("not a folded line: %q", l)
		}
		frames := strings.Split(l[:i], ";")
		stacks, counts = append(stacks, frames[1:]), append(counts, n)
	}
	return stacks, counts
}

// throughQsort: the stack runs main, then qsort…, then ends in cmp_hot.
func throughQsort(frames []string) bool {
	if len(frames) == 0 || frames[len(frames)-1] != "cmp_hot" {
		return false
	}
	main := -1
	for i, f := range frames {
		if f == "main" && main < 0 {
			main = i
		}
		if main >= 0 && i > main && strings.HasPrefix(f, "qsort") {
			return true
		}
	}
	return false
}

// TestLiveUnwind: a program built without frame pointers spends its time
// in a comparator qsort calls. The .eh_frame walk shows the whole stack,
// main;qsort…;cmp_hot; the frame-pointer walk (what bcc and libbpf-tools
// do) loses everything above cmp_hot. Where perf is installed, its DWARF
// unwinder must name the same frames.
func TestLiveUnwind(t *testing.T) {
	livetest.Require(t)
	if !unwind.Walks() {
		// No walker rules for this architecture: eh_frame is refused.
		tl := livetest.Start(t, Applet, "--unwind=eh_frame", "-U", "1")
		status, ok := tl.Exited(30 * time.Second)
		if !ok || status != 1 || len(tl.Stderr()) != 1 || !strings.Contains(tl.Stderr()[0], "--unwind=eh_frame") {
			t.Errorf("--unwind=eh_frame on %s: status %d, %q; want one line and status 1", runtime.GOARCH, status, tl.Stderr())
		}
		return
	}
	exe := unwindtest.Program(t)
	cmd := exec.Command(exe)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	pid := strconv.Itoa(cmd.Process.Pid)
	eh := livetest.Start(t, Applet, "-p", pid, "-U", "-F", "199", "-f", "-v", "3")
	fp := livetest.Start(t, Applet, "-p", pid, "-U", "-F", "199", "-f", "--unwind=fp", "3")
	perfData := filepath.Join(t.TempDir(), "perf.data")
	var perf *exec.Cmd
	var perfOut bytes.Buffer
	if _, err := exec.LookPath("perf"); err == nil {
		perf = exec.Command("perf", "record", "-q", "--call-graph", "dwarf", "-F", "99", "-p", pid, "-o", perfData, "--", "sleep", "2")
		perf.Stdout, perf.Stderr = &perfOut, &perfOut
		if err := perf.Start(); err != nil {
			t.Fatalf("perf record: %v", err)
		}
	}

	ehStacks, ehCounts := folded(t, finish(t, eh))
	t.Run("eh_frame: main;qsort…;cmp_hot", func(t *testing.T) {
		var whole, inCmp, libcBelow uint64
		for i, s := range ehStacks {
			if len(s) > 0 && s[len(s)-1] == "cmp_hot" {
				inCmp += ehCounts[i]
			}
			if throughQsort(s) {
				whole += ehCounts[i]
				if m := slices.Index(s, "main"); m > 0 && strings.HasPrefix(s[m-1], "__libc_start") {
					libcBelow += ehCounts[i]
				}
			}
		}
		// Samples before the tables loaded (a fraction of a second) walk
		// frame pointers; the rest must be whole.
		if whole < 10 || whole*2 < inCmp {
			t.Errorf("%d of %d samples in cmp_hot have the whole stack main;qsort…;cmp_hot:\n%s\nstderr: %s",
				whole, inCmp, strings.Join(eh.Stdout(), "\n"), strings.Join(eh.Stderr(), "\n"))
		}
		// main's caller is libc's (glibc 2.34 on: __libc_start_call_main).
		// On arm64 the guests' build signs main's return address
		// (-mbranch-protection=standard): unstripped, no mapping holds it.
		if libcBelow*2 < whole {
			t.Errorf("%d of %d whole stacks have libc's __libc_start… below main:\n%s",
				libcBelow, whole, strings.Join(eh.Stdout(), "\n"))
		}
		tables := false
		for _, l := range eh.Stderr() {
			if strings.Contains(l, "unwind table") && strings.Contains(l, exe) {
				tables = true
			}
		}
		if !tables {
			t.Errorf("-v does not say that %s got an unwind table: %q", exe, eh.Stderr())
		}
	})
	t.Run("fp: truncated", func(t *testing.T) {
		stacks, counts := folded(t, finish(t, fp))
		var inCmp uint64
		for i, s := range stacks {
			if len(s) > 0 && s[len(s)-1] == "cmp_hot" {
				inCmp += counts[i]
				for _, f := range s {
					if f == "main" && unwindtest.FPTruncates {
						t.Errorf("a frame-pointer walk through code without frame pointers reached main: %q", s)
					}
				}
			}
		}
		if inCmp < 10 {
			t.Errorf("--unwind=fp: %d samples in cmp_hot:\n%s", inCmp, strings.Join(fp.Stdout(), "\n"))
		}
	})
	t.Run("same frames as perf's DWARF unwinder", func(t *testing.T) {
		if perf == nil {
			t.Skip("perf (Debian linux-perf) not installed")
		}
		if err := perf.Wait(); err != nil {
			t.Fatalf("perf record: %v: %s", err, perfOut.String())
		}
		out, err := exec.Command("perf", "script", "--no-inline", "-i", perfData, "-F", "ip,sym").Output()
		if err != nil {
			t.Fatalf("perf script: %v", err)
		}
		seen := perfStacks(string(out))
		if len(seen) == 0 {
			t.Fatalf("perf recorded no stack from main to cmp_hot:\n%.2000s", out)
		}
		var same, all uint64
		for i, s := range ehStacks {
			if !throughQsort(s) {
				continue
			}
			all += ehCounts[i]
			if seen[fromMain(s)] {
				same += ehCounts[i]
			}
		}
		t.Logf("%d of %d whole stacks (by samples) match one of perf's %d distinct stacks from main to cmp_hot", same, all, len(seen))
		if same*2 < all {
			t.Errorf("%d of %d whole stacks are stacks perf's DWARF unwinder also saw", same, all)
		}
	})
}

var localSuffix = regexp.MustCompile(`\.(part|constprop|isra|cold|llvm)(\.[0-9]+)*$`)

// normalized makes perf's and the symbolizer's names of a function
// comparable: glibc's internal aliases (__GI___qsort_r) and compiler
// clones (.part.0) name the same code.
func normalized(name string) string {
	name = strings.TrimPrefix(name, "__GI_")
	name = strings.TrimLeft(name, "_")
	return localSuffix.ReplaceAllString(name, "")
}

// fromMain is a root-first stack from main on, normalized.
func fromMain(frames []string) string {
	for i, f := range frames {
		if f == "main" {
			out := make([]string, 0, len(frames)-i)
			for _, g := range frames[i:] {
				out = append(out, normalized(g))
			}
			return strings.Join(out, ";")
		}
	}
	return ""
}

// perfStacks reads `perf script -F ip,sym` (leaf first, a blank line
// between samples) into the set of stacks from main to cmp_hot.
func perfStacks(out string) map[string]bool {
	seen := map[string]bool{}
	var frames []string
	flush := func() {
		if len(frames) > 0 && frames[0] == "cmp_hot" {
			root := make([]string, len(frames))
			for i, f := range frames {
				root[len(frames)-1-i] = f
			}
			if s := fromMain(root); s != "" {
				seen[s] = true
			}
		}
		frames = frames[:0]
	}
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(l)
		if len(f) == 0 {
			flush()
			continue
		}
		if len(f) >= 2 {
			frames = append(frames, f[1])
		}
	}
	flush()
	return seen
}

// spinexec burns CPU as a Go program (frame pointers, no unwind table)
// until a line arrives on stdin, then execs args[0] in the same process.
func init() {
	livetest.HelperVerb("spinexec", func(args []string) int {
		go func() {
			var b [1]byte
			os.Stdin.Read(b[:])
			syscall.Exec(args[0], args, os.Environ())
			os.Exit(3) // the exec failed
		}()
		for x := uint64(1); ; x = x*2862933555777941757 + 3037000493 {
			spinSink = x
		}
	})
}

var spinSink uint64

// TestLiveUnwindAfterExec: a process whose mappings the walker loaded
// execs the test program (a new image at the same PID): its stacks are
// whole again, from tables read after the exec, not walked through the
// old image's mappings.
func TestLiveUnwindAfterExec(t *testing.T) {
	livetest.Require(t)
	if !unwind.Walks() {
		t.Skipf("no walker on %s: TestLiveUnwind checks the refusal", runtime.GOARCH)
	}
	exe := unwindtest.Program(t)
	cmd := livetest.Helper(t, "spinexec", "spinexec", exe)
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	tl := livetest.Start(t, Applet, "-p", strconv.Itoa(cmd.Process.Pid), "-U", "-F", "199", "-f", "-v", "4")
	if _, ok := tl.WaitStderr(t, 20*time.Second, func(l string) bool { return strings.Contains(l, "sampling with") }); !ok {
		t.Fatalf("profile did not start sampling: %q", tl.Stderr())
	}
	time.Sleep(700 * time.Millisecond) // samples of the first image
	in.Write([]byte("exec\n"))
	stacks, counts := folded(t, finish(t, tl))
	whole, inCmp := wholeStacks(stacks, counts)
	if whole < 10 || whole*2 < inCmp {
		t.Errorf("after the exec, %d of %d samples in cmp_hot have the whole stack main;qsort…;cmp_hot:\n%s\nstderr: %s",
			whole, inCmp, strings.Join(tl.Stdout(), "\n"), strings.Join(tl.Stderr(), "\n"))
	}
	reread := false
	for _, l := range tl.Stderr() {
		reread = reread || strings.Contains(l, "mappings were read again (exec")
	}
	if !reread {
		t.Errorf("-v does not say the process's mappings were read again after its exec: %q", tl.Stderr())
	}
}

// TestLiveUnwindBackground: system-wide, a process started after
// sampling began gets its tables in the background, on the walker's
// requests (the doorbell wakes the loader): its stacks are whole but for
// the first samples, which walk frame pointers.
func TestLiveUnwindBackground(t *testing.T) {
	livetest.Require(t)
	if !unwind.Walks() {
		t.Skipf("no walker on %s: TestLiveUnwind checks the refusal", runtime.GOARCH)
	}
	exe := unwindtest.Program(t)
	tl := livetest.Start(t, Applet, "-U", "-F", "199", "-f", "-v", "4")
	if _, ok := tl.WaitStderr(t, 20*time.Second, func(l string) bool { return strings.Contains(l, "sampling with") }); !ok {
		t.Fatalf("profile did not start sampling: %q", tl.Stderr())
	}
	cmd := exec.Command(exe)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	stacks, counts := folded(t, finish(t, tl))
	whole, inCmp := wholeStacks(stacks, counts)
	if whole < 10 || whole*2 < inCmp {
		t.Errorf("%d of %d samples in cmp_hot have the whole stack main;qsort…;cmp_hot\nstderr: %s",
			whole, inCmp, strings.Join(tl.Stderr(), "\n"))
	}
	// Tables are kept by build-id: a copy of the program running
	// elsewhere (another package's unwind test) may have been seen first
	// and given its path to the -v line.
	id := exe
	if e, err := syms.OpenELF(exe); err == nil && e.BuildID() != "" {
		id = "build-id " + e.BuildID()
	}
	tables := false
	for _, l := range tl.Stderr() {
		tables = tables || (strings.Contains(l, "unwind table") && (strings.Contains(l, exe) || strings.Contains(l, id)))
	}
	if !tables {
		t.Errorf("-v does not say that %s got an unwind table: %q", exe, tl.Stderr())
	}
}

// wholeStacks counts the samples whose stack goes main;qsort…;cmp_hot
// (whole) and those that end in cmp_hot at all (inCmp).
func wholeStacks(stacks [][]string, counts []uint64) (whole, inCmp uint64) {
	for i, s := range stacks {
		if len(s) > 0 && s[len(s)-1] == "cmp_hot" {
			inCmp += counts[i]
		}
		if throughQsort(s) {
			whole += counts[i]
		}
	}
	return whole, inCmp
}
