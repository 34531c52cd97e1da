package tcpconnect

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/probebox/probebox/core/livetest"
)

// connectEnv makes a livetest.Helper copy of this test binary connect to
// the address in its argument, print its local port and exit: a process
// other than the test that makes a connect.
const connectEnv = "PBX_TCPCONNECT_HELPER"

func TestMain(m *testing.M) {
	if os.Getenv(connectEnv) != "" {
		os.Exit(connectHelper(os.Args[1:]))
	}
	livetest.Main(m)
}

func connectHelper(args []string) int {
	if len(args) != 1 {
		return 2
	}
	if os.Getenv(connectEnv) == "wait" {
		// the test moves this process into a cgroup first
		bufio.NewReader(os.Stdin).ReadString('\n')
	}
	c, err := net.Dial("tcp", args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println(c.LocalAddr().(*net.TCPAddr).Port)
	c.Close()
	return 0
}

// helperConnect runs a helper process named name that connects to addr,
// as uid when uid >= 0; it returns the helper's PID and local port.
func helperConnect(t *testing.T, name, addr string, uid int) (pid, lport int) {
	t.Helper()
	cmd := livetest.Helper(t, name, addr)
	cmd.Env = append(cmd.Env, connectEnv+"=1")
	if uid >= 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(uid)}}
	}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("helper %s connecting to %s: %v", name, addr, err)
	}
	lport, err = strconv.Atoi(strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatalf("helper %s printed %q", name, out)
	}
	return cmd.Process.Pid, lport
}

// helperConnectIn is helperConnect with the helper moved into the cgroup
// v2 directory cg before it connects; it returns the helper's PID.
func helperConnectIn(t *testing.T, name, addr, cg string) int {
	t.Helper()
	cmd := livetest.Helper(t, name, addr)
	cmd.Env = append(cmd.Env, connectEnv+"=wait")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("helper %s: %v", name, err)
	}
	err = os.WriteFile(filepath.Join(cg, "cgroup.procs"), []byte(strconv.Itoa(cmd.Process.Pid)), 0o644)
	stdin.Write([]byte("go\n"))
	stdin.Close()
	if werr := cmd.Wait(); err == nil {
		err = werr
	}
	if err != nil {
		t.Fatalf("helper %s in cgroup %s: %v", name, cg, err)
	}
	return cmd.Process.Pid
}
