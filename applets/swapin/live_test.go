package swapin

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/livetest"
)

func TestMain(m *testing.M) { livetest.Main(m) }

// wait bounds a broken setup only: under qemu without acceleration
// loading a tool can take over 10s.
const wait = 60 * time.Second

const (
	dataMB  = 40 // the helper's data
	limitMB = 16 // its memory cgroup's limit
)

func init() {
	// "swapper": writes dataMB of distinct pages (never all zero: those
	// need no swap read on 6.12+), then reads them all back; its
	// memory cgroup holds less, so they come back from swap.
	livetest.HelperVerb("swapper", func([]string) int {
		m, err := unix.Mmap(-1, 0, dataMB<<20, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
		if err != nil {
			return 1
		}
		unix.Madvise(m, unix.MADV_NOHUGEPAGE)
		page := os.Getpagesize()
		for i := 0; i < len(m); i += page {
			*(*uint64)(unsafe.Pointer(&m[i])) = uint64(i) | 1
		}
		var sum uint64
		for pass := 0; pass < 1; pass++ {
			for i := 0; i < len(m); i += page {
				sum += *(*uint64)(unsafe.Pointer(&m[i]))
			}
		}
		if sum == 0 {
			return 1
		}
		return 0
	})
}

// mkswap writes a version 1 swap header ("SWAPSPACE2") on dev, as
// mkswap(8) does, for size bytes.
func mkswap(t *testing.T, dev string, size int64) {
	t.Helper()
	page := int64(os.Getpagesize())
	hdr := make([]byte, page)
	ne := func(off int, v uint32) { *(*uint32)(unsafe.Pointer(&hdr[off])) = v }
	ne(1024, 1)                   // version
	ne(1028, uint32(size/page-1)) // last_page
	ne(1032, 0)                   // nr_badpages
	copy(hdr[page-10:], "SWAPSPACE2")
	f, err := os.OpenFile(dev, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(hdr, 0); err != nil {
		t.Fatal(err)
	}
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
}

func swapon(t *testing.T, dev string) {
	t.Helper()
	p, err := syscall.BytePtrFromString(dev)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, errno := unix.Syscall(unix.SYS_SWAPON, uintptr(unsafe.Pointer(p)), 0, 0); errno != 0 {
		t.Fatalf("swapon %s: %v", dev, errno)
	}
	t.Cleanup(func() {
		if _, _, errno := unix.Syscall(unix.SYS_SWAPOFF, uintptr(unsafe.Pointer(p)), 0, 0); errno != 0 {
			t.Errorf("swapoff %s: %v", dev, errno)
		}
	})
}

// memoryCgroup makes a memory cgroup limited to limit bytes: cgroup v2
// where its root offers the memory controller, else the v1 memory
// hierarchy (the development machine binds memory to v1).
func memoryCgroup(t *testing.T, limit int64) string {
	t.Helper()
	mounts, _ := os.ReadFile("/proc/self/mounts")
	v1 := ""
	for _, line := range strings.Split(string(mounts), "\n") {
		f := strings.Fields(line)
		if len(f) < 4 {
			continue
		}
		if f[2] == "cgroup2" {
			ctl, _ := os.ReadFile(filepath.Join(f[1], "cgroup.controllers"))
			if strings.Contains(" "+strings.TrimSpace(string(ctl))+" ", " memory ") {
				if err := os.WriteFile(filepath.Join(f[1], "cgroup.subtree_control"), []byte("+memory"), 0o644); err != nil {
					t.Fatalf("enabling the memory controller: %v", err)
				}
				cg := livetest.Cgroup(t, "swapin")
				writeFile(t, filepath.Join(cg, "memory.max"), limit)
				return cg
			}
		}
		if f[2] == "cgroup" && strings.Contains(","+f[3]+",", ",memory,") {
			v1 = f[1]
		}
	}
	if v1 == "" {
		t.Fatal("no memory cgroup (v2 controller or v1 hierarchy) to squeeze a process in")
	}
	cg := filepath.Join(v1, "pbx-swapin-"+strconv.Itoa(os.Getpid()))
	if err := os.Mkdir(cg, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(cg) })
	writeFile(t, filepath.Join(cg, "memory.limit_in_bytes"), limit)
	return cg
}

func writeFile(t *testing.T, path string, v int64) {
	t.Helper()
	if err := os.WriteFile(path, []byte(strconv.FormatInt(v, 10)), 0o644); err != nil {
		t.Fatal(err)
	}
}

type summaryJSON struct {
	Swapins []struct {
		Comm  string `json:"comm"`
		PID   int    `json:"pid"`
		Count uint64 `json:"count"`
	} `json:"swapins"`
}

// TestLiveSwapIn: a helper squeezed into a memory cgroup below its data
// (a swap area on a loop device made for the test) reads its pages back
// from swap; swapin -p reports them under its PID and name, in the
// thousands. Run again with fentry and tp_btf disabled: the kprobe where
// the kernel has kprobes, else the tracefs tracepoint stand-in.
func TestLiveSwapIn(t *testing.T) {
	for _, disable := range []string{"", "fentry,tp_btf"} {
		t.Run("disable="+disable, func(t *testing.T) {
			if disable != "" && livetest.RerunFresh(t, "PROBEBOX_DISABLE="+disable) {
				return
			}
			swapIn(t)
		})
	}
}

func swapIn(t *testing.T) {
	livetest.Require(t)
	const swapSize = 128 << 20
	loop := livetest.LoopDevice(t, swapSize)
	mkswap(t, loop.Path, swapSize)
	swapon(t, loop.Path)
	cg := memoryCgroup(t, limitMB<<20)

	cmd, in := livetest.StartWaitingIO(t, "pbxswapper", "swapper")
	pid := cmd.Process.Pid
	tool := livetest.Start(t, Applet, "-v", "--json", "-p", strconv.Itoa(pid), "1")
	if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("did not start: %q", tool.Stderr())
	}
	if err := os.WriteFile(filepath.Join(cg, "cgroup.procs"), []byte(strconv.Itoa(pid)), 0o644); err != nil {
		t.Fatal(err)
	}
	in.Write([]byte("go\n"))
	if err := cmd.Wait(); err != nil {
		t.Fatalf("helper: %v", err)
	}
	// Its last swap-ins show in the next interval.
	time.Sleep(1500 * time.Millisecond)
	if status := tool.Stop(); status != 0 {
		t.Fatalf("status %d: %q", status, tool.Stderr())
	}
	var total uint64
	for _, l := range tool.Stdout() {
		var iv summaryJSON
		if err := json.Unmarshal([]byte(l), &iv); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		for _, r := range iv.Swapins {
			if r.PID != pid || r.Comm != "pbxswapper" {
				t.Errorf("row %+v: want only pid %d (-p), comm pbxswapper", r, pid)
				continue
			}
			total += r.Count
		}
	}
	// 40 MB read back through a 16 MB limit: some 6,000 pages at
	// least come back from swap (readahead ones included).
	if total < 1000 {
		t.Errorf("%d swap-ins counted for the helper, want thousands; output %q", total, tool.Stdout())
	}
	t.Logf("%d swap-ins", total)
}
