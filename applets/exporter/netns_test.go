package exporter

// Copied from applets/tcpretrans/netns_test.go (test helpers are per
// package); the two could move to core/livetest together.

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// netns is a network namespace made by a test for its own traffic, so an
// nftables drop rule cannot touch anyone else's connections. It is removed
// (with its nft table) when the test ends, even on failure.
type netns struct {
	name string
}

func runCmd(t *testing.T, stdin string, args ...string) {
	t.Helper()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin = strings.NewReader(stdin)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v: %s", strings.Join(args, " "), err, out)
	}
}

func cleanupRun(t *testing.T, args ...string) {
	t.Cleanup(func() {
		if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
			t.Errorf("cleanup %s: %v: %s", strings.Join(args, " "), err, out)
		}
	})
}

func newNetns(t *testing.T) *netns {
	t.Helper()
	n := &netns{name: fmt.Sprintf("pbtest-%08x", rand.Uint32())}
	runCmd(t, "", "ip", "netns", "add", n.name)
	cleanupRun(t, "ip", "netns", "del", n.name)
	runCmd(t, "", "ip", "-n", n.name, "link", "set", "lo", "up")
	return n
}

// dropInput drops incoming TCP to ports on the namespace's input hook: the
// peer's segments are lost after leaving, so the sender retransmits (a
// drop on output would fail the send locally, with no retransmit).
func (n *netns) dropInput(t *testing.T, ports ...int) {
	t.Helper()
	table := fmt.Sprintf("pbtest_%08x", rand.Uint32())
	set := make([]string, len(ports))
	for i, p := range ports {
		set[i] = fmt.Sprint(p)
	}
	rules := fmt.Sprintf("table inet %s {\n chain input {\n  type filter hook input priority 0; policy accept;\n  tcp dport { %s } drop\n }\n}\n", table, strings.Join(set, ", "))
	runCmd(t, rules, "ip", "netns", "exec", n.name, "nft", "-f", "-")
	cleanupRun(t, "ip", "netns", "exec", n.name, "nft", "delete", "table", "inet", table)
}

// do runs fn on an OS thread switched into the namespace; sockets made
// there stay in it. The thread is given up (not reused) if switching back
// fails.
func (n *netns) do(t *testing.T, fn func()) {
	t.Helper()
	var wg sync.WaitGroup
	var err error
	wg.Add(1)
	go func() {
		defer wg.Done()
		runtime.LockOSThread()
		orig, e := os.Open("/proc/thread-self/ns/net")
		if e != nil {
			err = e
			runtime.UnlockOSThread() // still in its own namespace
			return
		}
		defer orig.Close()
		target, e := os.Open("/run/netns/" + n.name)
		if e != nil {
			err = e
			runtime.UnlockOSThread()
			return
		}
		defer target.Close()
		if e := unix.Setns(int(target.Fd()), unix.CLONE_NEWNET); e != nil {
			err = fmt.Errorf("setns %s: %w", n.name, e)
			runtime.UnlockOSThread()
			return
		}
		fn()
		if e := unix.Setns(int(orig.Fd()), unix.CLONE_NEWNET); e != nil {
			err = fmt.Errorf("setns back: %w", e)
			return // still locked: the thread ends with this goroutine
		}
		runtime.UnlockOSThread()
	}()
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
}

// conn is an established loopback connection inside the namespace.
type conn struct {
	client, server *net.TCPConn
	cport, sport   int
}

// connect makes a connection to addr ("127.0.0.1" or "::1") in n.
func (n *netns) connect(t *testing.T, addr string) *conn {
	t.Helper()
	var (
		c   conn
		err error
	)
	n.do(t, func() {
		var ln net.Listener
		if ln, err = net.Listen("tcp", net.JoinHostPort(addr, "0")); err != nil {
			return
		}
		defer ln.Close()
		var cl net.Conn
		if cl, err = net.Dial("tcp", ln.Addr().String()); err != nil {
			return
		}
		c.client = cl.(*net.TCPConn)
		var sv net.Conn
		if sv, err = ln.Accept(); err != nil {
			return
		}
		c.server = sv.(*net.TCPConn)
	})
	if c.client != nil {
		t.Cleanup(func() { c.client.Close() })
	}
	if c.server != nil {
		t.Cleanup(func() { c.server.Close() })
	}
	if err != nil {
		t.Fatalf("connecting in %s: %v", n.name, err)
	}
	c.cport = c.client.LocalAddr().(*net.TCPAddr).Port
	c.sport = c.server.LocalAddr().(*net.TCPAddr).Port
	return &c
}

// keepSending writes a little data every 100ms until the test ends, so
// there is always unacknowledged data to retransmit.
func (c *conn) keepSending(t *testing.T) {
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		buf := []byte(strings.Repeat("x", 64))
		for {
			c.client.SetWriteDeadline(time.Now().Add(time.Second))
			c.client.Write(buf)
			select {
			case <-done:
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	}()
	t.Cleanup(func() { close(done); <-stopped })
}

// retransmits is the client socket's own count (tcpi_total_retrans).
func (c *conn) retransmits(t *testing.T) uint32 {
	t.Helper()
	raw, err := c.client.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var info *unix.TCPInfo
	var gerr error
	if err := raw.Control(func(fd uintptr) { info, gerr = unix.GetsockoptTCPInfo(int(fd), unix.IPPROTO_TCP, unix.TCP_INFO) }); err != nil {
		t.Fatal(err)
	}
	if gerr != nil {
		t.Fatal(gerr)
	}
	return info.Total_retrans
}

// waitRetransmits waits until the client has retransmitted at least n times.
func (c *conn) waitRetransmits(t *testing.T, n uint32, within time.Duration) uint32 {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		got := c.retransmits(t)
		if got >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("the client retransmitted %d times in %v, want %d (is the drop rule working?)", got, within, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
