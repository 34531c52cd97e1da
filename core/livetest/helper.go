package livetest

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
)

// helperEnv marks a test binary started as a helper process.
const helperEnv = "PROBEBOX_TEST_HELPER"

// Main runs the tests, or, when the binary was started by Helper, acts as
// the helper process. Live test packages call it from TestMain.
func Main(m *testing.M) {
	if os.Getenv(helperEnv) != "" {
		os.Exit(runHelper(os.Args[1:]))
	}
	status := m.Run()
	if helperDir != "" {
		os.RemoveAll(helperDir)
	}
	os.Exit(status)
}

// runHelper does what the test asked: "open PATH..." opens and reads
// files; "read SIZE COUNT" makes COUNT read() calls of SIZE bytes;
// "writedirect DEV OFFSET SIZE COUNT" makes COUNT O_DIRECT writes of SIZE
// bytes from OFFSET on, one after the other; "tcpclient ADDR SEND RECV"
// is the client of a TCPSession. A leading "wait" makes it
// first wait for a line on stdin (RunInCgroup moves it meanwhile).
func runHelper(args []string) int {
	if len(args) > 0 && args[0] == "wait" {
		bufio.NewReader(os.Stdin).ReadString('\n')
		args = args[1:]
	}
	if len(args) == 0 {
		return 2
	}
	switch args[0] {
	case "tcpclient":
		if len(args) != 4 {
			return 2
		}
		return tcpClient(args[1], args[2], args[3])
	case "writedirect":
		if len(args) != 5 {
			return 2
		}
		return writeDirect(args[1], args[2], args[3], args[4])
	case "open":
		for _, p := range args[1:] {
			if f, err := os.Open(p); err == nil {
				io.Copy(io.Discard, f)
				f.Close()
			}
		}
		return 0
	case "read":
		if len(args) != 3 {
			return 2
		}
		size, _ := strconv.Atoi(args[1])
		count, _ := strconv.Atoi(args[2])
		f, err := os.Open("/dev/zero")
		if err != nil {
			return 1
		}
		buf := make([]byte, size)
		for i := 0; i < count; i++ {
			f.Read(buf)
		}
		return 0
	}
	return 2
}

var (
	helperMu   sync.Mutex
	helperDir  string
	helperPath = map[string]string{}
)

// Helper returns a command running this test binary as a helper process
// whose name (its comm) is name: a copy in a folder every user can read,
// so it also runs as an unprivileged user, and needs no other program
// (busybox-only test kernels have no real cat or dd).
func Helper(t testing.TB, name string, args ...string) *exec.Cmd {
	t.Helper()
	helperMu.Lock()
	defer helperMu.Unlock()
	path, ok := helperPath[name]
	if !ok {
		if helperDir == "" {
			dir, err := os.MkdirTemp("", "pbx-helpers")
			if err != nil {
				t.Fatal(err)
			}
			os.Chmod(dir, 0o755)
			helperDir = dir
		}
		self, err := os.Executable()
		if err != nil {
			t.Fatal(err)
		}
		path = filepath.Join(helperDir, name)
		if err := copyFile(self, path); err != nil {
			t.Fatalf("making helper %s: %v", name, err)
		}
		helperPath[name] = path
	}
	cmd := exec.Command(path, args...)
	cmd.Env = append(os.Environ(), helperEnv+"=1")
	return cmd
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// NeedGo ends a test that builds a program when no Go toolchain is on
// PATH (Unavailable: a failure under PROBEBOX_LIVE=1).
func NeedGo(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		Unavailable(t, "the go command is needed to build a test program: %v", err)
	}
}
