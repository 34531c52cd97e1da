package proctest

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// actExit: "exit CODE" ends with status CODE.
func actExit(args []string) int {
	if len(args) != 1 {
		return 100
	}
	code, err := strconv.Atoi(args[0])
	if err != nil {
		return 100
	}
	return code
}

// actWait: says "ready" and sleeps until killed (at most a minute).
func actWait(args []string) int {
	fmt.Println("ready")
	time.Sleep(time.Minute)
	return 3
}

// actKill: "kill PID SIG [wait]" sends SIG with kill(2); the status is
// the errno (0 when it worked). With "wait" it first says "ready" and
// waits for a line on stdin, so a test can start a tool filtering on its
// PID first.
func actKill(args []string) int {
	if len(args) == 3 && args[2] == "wait" {
		fmt.Println("ready")
		bufio.NewReader(os.Stdin).ReadString('\n')
		args = args[:2]
	}
	pid, sig, ok := pidSig(args)
	if !ok {
		return 100
	}
	return errnoStatus(unix.Kill(pid, sig))
}

// actTkill: "tkill TID SIG" sends SIG with tkill(2), then with
// tgkill(TID, TID, SIG).
func actTkill(args []string) int {
	tid, sig, ok := pidSig(args)
	if !ok {
		return 100
	}
	if _, _, e := unix.RawSyscall(unix.SYS_TKILL, uintptr(tid), uintptr(sig), 0); e != 0 {
		return int(e)
	}
	return errnoStatus(unix.Tgkill(tid, tid, sig))
}

func pidSig(args []string) (int, unix.Signal, bool) {
	if len(args) != 2 {
		return 0, 0, false
	}
	pid, err1 := strconv.Atoi(args[0])
	sig, err2 := strconv.Atoi(args[1])
	return pid, unix.Signal(sig), err1 == nil && err2 == nil
}

func errnoStatus(err error) int {
	if err == nil {
		return 0
	}
	if e, ok := err.(unix.Errno); ok {
		return int(e)
	}
	fmt.Fprintln(os.Stderr, err)
	return 101
}

// actThreadExit: starts a thread, prints its TID and waits for a line on
// stdin; the thread then ends by itself (a goroutine locked to its OS
// thread and never unlocked takes the thread down with it) before the
// process exits 0.
func actThreadExit(args []string) int {
	runtime.LockOSThread() // the main thread must not be the one that ends
	tids := make(chan int)
	done := make(chan struct{})
	go func() {
		runtime.LockOSThread()
		tids <- unix.Gettid()
		bufio.NewReader(os.Stdin).ReadString('\n')
		close(done)
	}()
	fmt.Println(<-tids)
	<-done
	time.Sleep(50 * time.Millisecond) // the thread's exit first
	return 0
}

// actSyscalls: "syscalls N M" locks itself to one thread, prints that
// thread's TID, waits for a line on stdin, then makes N getppid() calls,
// M openat() calls that fail with ENOENT and one 10 ms nanosleep(), all
// from that thread, and exits 0. The Go runtime makes none of these calls
// itself except nanosleep (sysmon, on its own thread).
func actSyscalls(args []string) int {
	if len(args) != 2 {
		return 100
	}
	n, err1 := strconv.Atoi(args[0])
	m, err2 := strconv.Atoi(args[1])
	if err1 != nil || err2 != nil {
		return 100
	}
	runtime.LockOSThread()
	fmt.Println(unix.Gettid())
	bufio.NewReader(os.Stdin).ReadString('\n')
	for i := 0; i < n; i++ {
		unix.RawSyscall(unix.SYS_GETPPID, 0, 0, 0)
	}
	missing, _ := unix.BytePtrFromString("/nonexistent-pbx-syscount/x")
	cwd := unix.AT_FDCWD
	for i := 0; i < m; i++ {
		unix.Syscall6(unix.SYS_OPENAT, uintptr(cwd), uintptr(unsafe.Pointer(missing)), unix.O_RDONLY, 0, 0, 0)
	}
	ts := unix.NsecToTimespec(int64(10 * time.Millisecond))
	unix.Syscall(unix.SYS_NANOSLEEP, uintptr(unsafe.Pointer(&ts)), 0, 0)
	return 0
}

// actStat: "stat PATH..." says "ready", waits for a line on stdin, then
// calls fstatat(), statx() and statfs() on each path.
func actStat(args []string) int {
	fmt.Println("ready")
	bufio.NewReader(os.Stdin).ReadString('\n')
	for _, p := range args {
		var st unix.Stat_t
		unix.Fstatat(unix.AT_FDCWD, p, &st, 0)
		var stx unix.Statx_t
		unix.Statx(unix.AT_FDCWD, p, 0, unix.STATX_BASIC_STATS, &stx)
		var sfs unix.Statfs_t
		unix.Statfs(p, &sfs)
	}
	return 0
}

// actMount: "mount DIR SOURCE" moves its thread into a private mount
// namespace, says "ready", waits for a line on stdin, then mounts a tmpfs
// named SOURCE on DIR with mount(2) (MS_NOSUID|MS_NODEV, "size=1m") and
// unmounts it (MNT_DETACH), then mounts one again through fsopen(),
// fsconfig(), fsmount() and move_mount() and unmounts it. Nothing leaves
// the namespace, which ends with the helper.
func actMount(args []string) int {
	if len(args) != 2 {
		return 100
	}
	dir, src := args[0], args[1]
	runtime.LockOSThread() // namespaces belong to the thread
	if err := unix.Unshare(unix.CLONE_NEWNS); err != nil {
		fmt.Fprintln(os.Stderr, "unshare:", err)
		return 101
	}
	if err := unix.Mount("none", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		fmt.Fprintln(os.Stderr, "making / private:", err)
		return 102
	}
	fmt.Println(unix.Gettid())
	bufio.NewReader(os.Stdin).ReadString('\n')
	if err := unix.Mount(src, dir, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, "size=1m"); err != nil {
		fmt.Fprintln(os.Stderr, "mount:", err)
		return 103
	}
	if err := unix.Unmount(dir, unix.MNT_DETACH); err != nil {
		return 104
	}
	fd, err := unix.Fsopen("tmpfs", unix.FSOPEN_CLOEXEC)
	if err != nil {
		return 0 // no new mount API on this kernel: the mount(2) part is done
	}
	if unix.FsconfigSetString(fd, "size", "2m") != nil || unix.FsconfigCreate(fd) != nil {
		return 105
	}
	mfd, err := unix.Fsmount(fd, unix.FSMOUNT_CLOEXEC, unix.MOUNT_ATTR_NOSUID)
	if err != nil {
		return 106
	}
	if unix.MoveMount(mfd, "", unix.AT_FDCWD, dir, unix.MOVE_MOUNT_F_EMPTY_PATH) != nil {
		return 107
	}
	unix.Close(mfd) // an open mount fd keeps the mount busy
	unix.Close(fd)
	if unix.Unmount(dir, 0) != nil {
		return 108
	}
	return 0
}

// actNoCap: clears its thread's effective capabilities (capabilities are
// per thread; permitted ones stay), says "ready", waits for a line on
// stdin, then tries unshare(CLONE_NEWUTS), which needs CAP_SYS_ADMIN and
// must fail with EPERM (status 0). Harmless should the check pass: the
// new namespace would be the helper's own.
// With "linger" it then stays alive until stdin closes.
func actNoCap(args []string) int {
	runtime.LockOSThread()
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capget(&hdr, &data[0]); err != nil {
		return 101
	}
	data[0].Effective, data[1].Effective = 0, 0
	if err := unix.Capset(&hdr, &data[0]); err != nil {
		return 102
	}
	fmt.Println("ready")
	bufio.NewReader(os.Stdin).ReadString('\n')
	if err := unix.Unshare(unix.CLONE_NEWUTS); err != unix.EPERM {
		fmt.Fprintln(os.Stderr, "unshare without CAP_SYS_ADMIN:", err)
		return 103
	}
	if len(args) > 0 && args[0] == "linger" {
		// Alive until stdin closes: its user stacks can still be named.
		io.Copy(io.Discard, os.Stdin)
	}
	return 0
}

// actAlloc: "alloc MB" says "ready", waits for a line on stdin, then
// allocates MB megabytes and touches every page (in a memory-limited
// cgroup: until the OOM killer ends it). Status 0 if it survived.
func actAlloc(args []string) int {
	mb, err := strconv.Atoi(args[0])
	if err != nil {
		return 100
	}
	fmt.Println("ready")
	bufio.NewReader(os.Stdin).ReadString('\n')
	var keep [][]byte
	for i := 0; i < mb; i++ {
		b := make([]byte, 1<<20)
		for j := 0; j < len(b); j += 4096 {
			b[j] = 1
		}
		keep = append(keep, b)
	}
	return len(keep) & 0
}

// actSetuid: says "ready", waits for a line on stdin, then, from one
// thread (raw syscalls: Go's own wrappers change every thread), calls
// setresuid(-1, 65534, -1), which works as root; setreuid(12345, 12345),
// which then fails with EPERM (euid 65534 has no CAP_SETUID); and
// setfsgid(65534), which returns the previous fs gid, 0.
func actSetuid(args []string) int {
	runtime.LockOSThread()
	fmt.Println("ready")
	bufio.NewReader(os.Stdin).ReadString('\n')
	minus1 := -1
	unix.RawSyscall(unix.SYS_SETRESUID, uintptr(minus1), 65534, uintptr(minus1))
	unix.RawSyscall(unix.SYS_SETREUID, 12345, 12345, 0) // fails: EPERM without CAP_SETUID
	unix.RawSyscall(unix.SYS_SETFSGID, 65534, 0, 0)
	return 0
}

// actSpawn: "spawn N" says "ready", waits for a line on stdin, then runs N
// child processes (this binary, exiting 0) one after the other.
func actSpawn(args []string) int {
	n, err := strconv.Atoi(args[0])
	if err != nil {
		return 100
	}
	fmt.Println("ready")
	bufio.NewReader(os.Stdin).ReadString('\n')
	for i := 0; i < n; i++ {
		cmd := exec.Command("/proc/self/exe", "0")
		cmd.Env = append(os.Environ(), actionEnv+"=exit")
		if cmd.Run() != nil {
			return 101
		}
	}
	return 0
}

// actWriteFile: "writefile PATH MB" says "ready", waits for a line on
// stdin, then writes MB megabytes to PATH (page cache: in a memory cgroup
// smaller than that, the writer reclaims its own cache as it goes).
func actWriteFile(args []string) int {
	mb, err := strconv.Atoi(args[1])
	if err != nil {
		return 100
	}
	fmt.Println("ready")
	bufio.NewReader(os.Stdin).ReadString('\n')
	f, err := os.Create(args[0])
	if err != nil {
		return 101
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	for i := 0; i < mb; i++ {
		if _, err := f.Write(buf); err != nil {
			return 102
		}
	}
	return 0
}
