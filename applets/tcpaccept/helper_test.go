package tcpaccept

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/probebox/probebox/core/livetest"
)

// acceptEnv makes a livetest.Helper copy of this test binary listen on a
// loopback port, print it, accept one connection and exit: a process
// other than the test that accepts.
const acceptEnv = "PBX_TCPACCEPT_HELPER"

func TestMain(m *testing.M) {
	if os.Getenv(acceptEnv) != "" {
		os.Exit(acceptHelper())
	}
	livetest.Main(m)
}

func acceptHelper() int {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println(l.Addr().(*net.TCPAddr).Port)
	c, err := l.Accept()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	c.Close()
	return 0
}

// helperAccept runs a helper process named name that accepts one
// connection, which the test makes; it returns the helper's PID and
// listening port.
func helperAccept(t *testing.T, name string) (pid, port int) {
	t.Helper()
	return helperAcceptIn(t, name, "")
}

// helperAcceptIn is helperAccept with the helper moved into the cgroup v2
// directory cg (when not empty) before it accepts.
func helperAcceptIn(t *testing.T, name, cg string) (pid, port int) {
	t.Helper()
	cmd := livetest.Helper(t, name)
	cmd.Env = append(cmd.Env, acceptEnv+"=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("helper %s: %v", name, err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err == nil {
		port, err = strconv.Atoi(strings.TrimSpace(line))
	}
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("helper %s printed %q: %v", name, line, err)
	}
	if cg != "" {
		if err := os.WriteFile(filepath.Join(cg, "cgroup.procs"), []byte(strconv.Itoa(cmd.Process.Pid)), 0o644); err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatal(err)
		}
	}
	c, err := net.Dial("tcp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("connecting to helper %s: %v", name, err)
	}
	c.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("helper %s: %v", name, err)
	}
	return cmd.Process.Pid, port
}
