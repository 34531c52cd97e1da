package livetest

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

// Netns is a network namespace made by a test for its own traffic, so an
// nftables rule cannot touch anyone else's connections. It is removed
// (with its nft tables) when the test ends, even on failure. Its loopback
// interface is up; test traffic uses 127.0.0.0/8 and ::1 inside it.
type Netns struct {
	Name string
}

// Run runs a command (with stdin) and fails t when it fails.
func Run(t testing.TB, stdin string, args ...string) {
	t.Helper()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin = strings.NewReader(stdin)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v: %s", strings.Join(args, " "), err, out)
	}
}

func cleanupRun(t testing.TB, args ...string) {
	t.Cleanup(func() {
		if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
			t.Errorf("cleanup %s: %v: %s", strings.Join(args, " "), err, out)
		}
	})
}

// NewNetns makes a namespace with `ip netns add` (ip is in every test
// kernel's userland).
func NewNetns(t testing.TB) *Netns {
	t.Helper()
	n := &Netns{Name: fmt.Sprintf("pbtest-%08x", rand.Uint32())}
	Run(t, "", "ip", "netns", "add", n.Name)
	cleanupRun(t, "ip", "netns", "del", n.Name)
	Run(t, "", "ip", "-n", n.Name, "link", "set", "lo", "up")
	return n
}

// Nft loads an nftables ruleset (the text of `nft -f`) into the namespace
// as table inet <name> { <body> }; the table is deleted when the test
// ends.
func (n *Netns) Nft(t testing.TB, body string) {
	t.Helper()
	table := n.nftTable(t, body)
	cleanupRun(t, "ip", "netns", "exec", n.Name, "nft", "delete", "table", "inet", table)
}

// nftTable loads table inet <name> { <body> } and returns its name.
func (n *Netns) nftTable(t testing.TB, body string) string {
	t.Helper()
	table := fmt.Sprintf("pbtest_%08x", rand.Uint32())
	Run(t, fmt.Sprintf("table inet %s {\n%s\n}\n", table, body), "ip", "netns", "exec", n.Name, "nft", "-f", "-")
	return table
}

// DropInput drops incoming TCP to ports on the namespace's input hook: the
// peer's segments are lost after leaving, so the sender retransmits (a
// drop on output would fail the send locally, with no retransmit).
func (n *Netns) DropInput(t testing.TB, ports ...int) {
	t.Helper()
	set := make([]string, len(ports))
	for i, p := range ports {
		set[i] = fmt.Sprint(p)
	}
	n.Nft(t, fmt.Sprintf(" chain input {\n  type filter hook input priority 0; policy accept;\n  tcp dport { %s } drop\n }", strings.Join(set, ", ")))
}

// DropInputUntil is DropInput until the returned function removes the
// rule (also done when the test ends): the connection's segments are lost
// for a while, then delivered again (a congestion episode and its end).
func (n *Netns) DropInputUntil(t testing.TB, ports ...int) (remove func()) {
	t.Helper()
	set := make([]string, len(ports))
	for i, p := range ports {
		set[i] = fmt.Sprint(p)
	}
	return n.removable(t, n.nftTable(t, fmt.Sprintf(" chain input {\n  type filter hook input priority 0; policy accept;\n  tcp dport { %s } drop\n }", strings.Join(set, ", "))))
}

// removable deletes table once, when the returned function is called or
// the test ends.
func (n *Netns) removable(t testing.TB, table string) (remove func()) {
	var once sync.Once
	remove = func() {
		once.Do(func() {
			if out, err := exec.Command("ip", "netns", "exec", n.Name, "nft", "delete", "table", "inet", table).CombinedOutput(); err != nil {
				t.Errorf("removing nft table %s: %v: %s", table, err, out)
			}
		})
	}
	t.Cleanup(remove)
	return remove
}

// DropSYNs drops SYNs (without ACK) to ports on the input hook until the
// returned function removes the rule (also done when the test ends): a
// connect made meanwhile completes only with a SYN retransmit (the first
// 1s after the SYN on Linux). Plain nf_tables, no extra modules.
func (n *Netns) DropSYNs(t testing.TB, ports ...int) (remove func()) {
	t.Helper()
	set := make([]string, len(ports))
	for i, p := range ports {
		set[i] = fmt.Sprint(p)
	}
	table := n.nftTable(t, fmt.Sprintf(" chain input {\n  type filter hook input priority 0; policy accept;\n  tcp dport { %s } tcp flags & (syn | ack) == syn drop\n }", strings.Join(set, ", ")))
	var once sync.Once
	remove = func() {
		once.Do(func() {
			if out, err := exec.Command("ip", "netns", "exec", n.Name, "nft", "delete", "table", "inet", table).CombinedOutput(); err != nil {
				t.Errorf("removing the SYN drop: %v: %s", err, out)
			}
		})
	}
	t.Cleanup(remove)
	return remove
}

// Do runs fn on an OS thread switched into the namespace; sockets made
// there stay in it, and processes started there (exec.Cmd.Start) run in
// it. The thread is given up (not reused) if switching back fails.
func (n *Netns) Do(t testing.TB, fn func()) {
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
		target, e := os.Open("/run/netns/" + n.Name)
		if e != nil {
			err = e
			runtime.UnlockOSThread()
			return
		}
		defer target.Close()
		if e := unix.Setns(int(target.Fd()), unix.CLONE_NEWNET); e != nil {
			err = fmt.Errorf("setns %s: %w", n.Name, e)
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

// Listen listens on addr ("127.0.0.1:0", "[::1]:0") inside the namespace;
// the listener is closed when the test ends.
func (n *Netns) Listen(t testing.TB, addr string) *net.TCPListener {
	t.Helper()
	var (
		ln  net.Listener
		err error
	)
	n.Do(t, func() { ln, err = net.Listen("tcp", addr) })
	if err != nil {
		t.Fatalf("listen %s in %s: %v", addr, n.Name, err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln.(*net.TCPListener)
}

// Conn is an established loopback connection inside a namespace.
type Conn struct {
	Client, Server *net.TCPConn
	CPort, SPort   int
}

// Connect makes a connection to addr ("127.0.0.1" or "::1") in n.
func (n *Netns) Connect(t testing.TB, addr string) *Conn {
	t.Helper()
	var (
		c   Conn
		err error
	)
	n.Do(t, func() {
		var ln net.Listener
		if ln, err = net.Listen("tcp", net.JoinHostPort(addr, "0")); err != nil {
			return
		}
		defer ln.Close()
		var cl net.Conn
		if cl, err = net.Dial("tcp", ln.Addr().String()); err != nil {
			return
		}
		c.Client = cl.(*net.TCPConn)
		var sv net.Conn
		if sv, err = ln.Accept(); err != nil {
			return
		}
		c.Server = sv.(*net.TCPConn)
	})
	if c.Client != nil {
		t.Cleanup(func() { c.Client.Close() })
	}
	if c.Server != nil {
		t.Cleanup(func() { c.Server.Close() })
	}
	if err != nil {
		t.Fatalf("connecting in %s: %v", n.Name, err)
	}
	c.CPort = c.Client.LocalAddr().(*net.TCPAddr).Port
	c.SPort = c.Server.LocalAddr().(*net.TCPAddr).Port
	return &c
}

// KeepSending writes a little data every 100ms until the test ends, so
// there is always unacknowledged data to retransmit.
func (c *Conn) KeepSending(t testing.TB) {
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		buf := []byte(strings.Repeat("x", 64))
		for {
			c.Client.SetWriteDeadline(time.Now().Add(time.Second))
			c.Client.Write(buf)
			select {
			case <-done:
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	}()
	t.Cleanup(func() { close(done); <-stopped })
}

// TCPInfo is getsockopt(TCP_INFO) of a connection.
func TCPInfo(t testing.TB, c *net.TCPConn) *unix.TCPInfo {
	t.Helper()
	raw, err := c.SyscallConn()
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
	return info
}

// Retransmits is the client socket's own count (tcpi_total_retrans).
func (c *Conn) Retransmits(t testing.TB) uint32 {
	t.Helper()
	return TCPInfo(t, c.Client).Total_retrans
}

// WaitRetransmits waits until the client has retransmitted at least n times.
func (c *Conn) WaitRetransmits(t testing.TB, n uint32, within time.Duration) uint32 {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		got := c.Retransmits(t)
		if got >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("the client retransmitted %d times in %v, want %d (is the drop rule working?)", got, within, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
