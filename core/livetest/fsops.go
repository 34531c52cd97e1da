package livetest

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// FSOpsCounts is what FSOps does, by vfsstat column, but for creations:
// one open(O_CREAT) and one mknod of a regular file, which a kernel counts
// as one or two vfs_create calls (6.x creates files opened with O_CREAT
// without calling vfs_create).
var FSOpsCounts = map[string]uint64{
	"read": 3, "write": 4, "fsync": 2, "open": 2, "unlink": 2, "mkdir": 2, "rmdir": 2,
}

// FSOps makes a known set of file system calls in dir, with raw system
// calls only (no Go library call that might make more): it creates a
// file (one open with O_CREAT), writes it 4 times, fsyncs it twice, opens
// it again and reads it 3 times, makes and removes 2 directories and
// unlinks the file, then makes a regular file with mknod and unlinks it.
// See FSOpsCounts.
func FSOps(dir string) error {
	f := filepath.Join(dir, "pbx-fsops")
	fd, err := unix.Open(f, unix.O_CREAT|unix.O_WRONLY|unix.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	buf := make([]byte, 4096)
	for i := 0; i < 4; i++ {
		if _, err := unix.Write(fd, buf); err != nil {
			return err
		}
	}
	unix.Fsync(fd)
	unix.Fsync(fd)
	unix.Close(fd)
	if fd, err = unix.Open(f, unix.O_RDONLY, 0); err != nil {
		return err
	}
	for i := 0; i < 3; i++ {
		unix.Read(fd, buf)
	}
	unix.Close(fd)
	for _, d := range []string{"d1", "d2"} {
		if err := unix.Mkdir(filepath.Join(dir, d), 0o700); err != nil {
			return err
		}
	}
	for _, d := range []string{"d1", "d2"} {
		if err := unix.Rmdir(filepath.Join(dir, d)); err != nil {
			return err
		}
	}
	if err := unix.Unlink(f); err != nil {
		return err
	}
	node := filepath.Join(dir, "pbx-fsops-node")
	if err := unix.Mknod(node, unix.S_IFREG|0o600, 0); err != nil {
		return err
	}
	return unix.Unlink(node)
}

// SelfComm is this process's name as the kernel reports it (the test
// binary's name: "x.test" on the host, "pkg.test" in the kernel matrix).
func SelfComm(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile("/proc/self/comm")
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

// StartWaiting starts the helper name with args after "wait" and returns
// once it is up and blocked reading its stdin (it printed "ready"), so that
// a tool started now sees none of its start-up; release lets it go on and
// waits for it to end. GOMAXPROCS updates are off in it: Go reads cgroup
// files for them now and then, which file-counting tests would see.
func StartWaiting(t testing.TB, name string, args ...string) (cmd *exec.Cmd, release func() error) {
	t.Helper()
	cmd, in := StartWaitingIO(t, name, args...)
	return cmd, func() error {
		in.Write([]byte("\n"))
		return cmd.Wait()
	}
}

// StartWaitingIO is StartWaiting that hands over the helper's stdin: the
// first line written releases it; the caller waits for it to end.
func StartWaitingIO(t testing.TB, name string, args ...string) (*exec.Cmd, io.WriteCloser) {
	t.Helper()
	cmd := Helper(t, name, append([]string{"wait"}, args...)...)
	cmd.Env = append(cmd.Env, "GODEBUG=updatemaxprocs=0")
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "ready\n" {
		t.Fatalf("helper %s did not start: %q %v", name, line, err)
	}
	return cmd, in
}

// HelperVerb runs fn as the test binary's helper when it was started by
// Helper with verb as its first argument (after an optional "wait", which
// waits for a line on stdin first), and exits; otherwise it returns. A
// test package calls it from an init function to add a verb of its own.
func HelperVerb(verb string, fn func(args []string) int) {
	if os.Getenv(helperEnv) == "" || len(os.Args) < 2 {
		return
	}
	args := os.Args[1:]
	wait := args[0] == "wait"
	if wait {
		args = args[1:]
	}
	if len(args) == 0 || args[0] != verb {
		return
	}
	if wait {
		os.Stdout.WriteString("ready\n")
		var b [1]byte
		for {
			n, err := unix.Read(0, b[:])
			if n <= 0 || err != nil || b[0] == '\n' {
				break
			}
		}
	}
	os.Exit(fn(args[1:]))
}
