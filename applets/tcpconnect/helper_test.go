package tcpconnect

import (
	"fmt"
	"net"
	"os"
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
