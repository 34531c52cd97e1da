package tcpsubnet

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/livetest"
)

// wait bounds a broken setup only; the kernel matrix runs under qemu without
// acceleration, where loading a tool alone can take over 10s.
const wait = 30 * time.Second

func TestMain(m *testing.M) { livetest.Main(m) }

// sendBoth connects from local to server (both in n), writes up bytes
// to the server and down bytes back, and closes once all arrived.
func sendBoth(t *testing.T, n *livetest.Netns, network, local, server string, up, down int) {
	t.Helper()
	n.Do(t, func() {
		ln, err := net.Listen(network, net.JoinHostPort(server, "0"))
		if err != nil {
			t.Error(err)
			return
		}
		defer ln.Close()
		d := net.Dialer{Timeout: wait}
		if local != "" {
			d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(local)}
		}
		c, err := d.Dial(network, ln.Addr().String())
		if err != nil {
			t.Error(err)
			return
		}
		defer c.Close()
		s, err := ln.Accept()
		if err != nil {
			t.Error(err)
			return
		}
		defer s.Close()
		exchange(t, c, s, up, down)
	})
}

func exchange(t *testing.T, c, s net.Conn, up, down int) {
	t.Helper()
	c.SetDeadline(time.Now().Add(wait))
	s.SetDeadline(time.Now().Add(wait))
	go c.Write(bytes.Repeat([]byte("u"), up))
	if _, err := io.CopyN(io.Discard, s, int64(up)); err != nil {
		t.Errorf("server reading %d bytes: %v", up, err)
	}
	go s.Write(bytes.Repeat([]byte("d"), down))
	if _, err := io.CopyN(io.Discard, c, int64(down)); err != nil {
		t.Errorf("client reading %d bytes: %v", down, err)
	}
}

// sendMapped sends up bytes from an IPv6 socket to an IPv4 listener on
// addr, through its IPv4-mapped address (::ffff:addr).
func sendMapped(t *testing.T, n *livetest.Netns, addr string, up int) {
	t.Helper()
	n.Do(t, func() {
		ln, err := net.Listen("tcp4", net.JoinHostPort(addr, "0"))
		if err != nil {
			t.Error(err)
			return
		}
		defer ln.Close()
		fd, err := unix.Socket(unix.AF_INET6, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			t.Error(err)
			return
		}
		sa := &unix.SockaddrInet6{Port: ln.Addr().(*net.TCPAddr).Port}
		copy(sa.Addr[:], net.ParseIP(addr).To16()) // ::ffff:a.b.c.d
		if err := unix.Connect(fd, sa); err != nil {
			unix.Close(fd)
			t.Error(err)
			return
		}
		s, err := ln.Accept()
		if err != nil {
			unix.Close(fd)
			t.Error(err)
			return
		}
		defer s.Close()
		if _, err := unix.Write(fd, bytes.Repeat([]byte("m"), up)); err != nil {
			t.Error(err)
		}
		unix.Close(fd)
		s.SetDeadline(time.Now().Add(wait))
		if got, err := io.Copy(io.Discard, s); got != int64(up) {
			t.Errorf("mapped: server read %d bytes (%v), want %d", got, err, up)
		}
	})
}

type jsonSummary struct {
	Entries []struct {
		Subnet string
		Bytes  uint64
	}
}

// TestLiveSubnets: sessions of known sizes in a namespace of the test's,
// to 127.x.y.z addresses no one else uses, land in the first subnet of
// the list that holds their destination, exactly; an IPv6 socket to an
// IPv4-mapped peer counts as IPv4; IPv6 to ::1 is counted in ::1/128.
func TestLiveSubnets(t *testing.T) {
	livetest.Require(t)
	for _, m := range livetest.TracepointModes {
		t.Run(m.Name, func(t *testing.T) {
			kernel = m.Kernel()
			defer func() { kernel = nil }()
			subnets(t, m)
		})
	}
}

func subnets(t *testing.T, m livetest.TracepointMode) {
	net24 := fmt.Sprintf("127.%d.%d", 2+rand.IntN(250), 2+rand.IntN(250))
	srv, cli, mapped := net24+".10", net24+".20", net24+".30"
	list := strings.Join([]string{srv + "/32", mapped, net24 + ".0/24", "::1/128", "0.0.0.0/0"}, ",")
	tool := livetest.Start(t, Applet, "-v", "--json", "-i", "1", list)
	if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		tool.Stop()
		t.Fatalf("tcpsubnet did not start: %q", tool.Stderr())
	}
	m.Check(t, tool.Stderr())
	n := livetest.NewNetns(t)
	const up, down, up6, upMapped = 100003, 7001, 54321, 4099
	sendBoth(t, n, "tcp4", cli, srv, up, down) // up goes to srv, down to cli
	sendBoth(t, n, "tcp6", "", "::1", up6, 0)
	sendMapped(t, n, mapped, upMapped)
	time.Sleep(1500 * time.Millisecond) // the last interval ends
	if status := tool.Stop(); status != 0 {
		t.Fatalf("exit status %d: %q", status, tool.Stderr())
	}
	got := map[string]uint64{}
	for _, l := range tool.Stdout() {
		var s jsonSummary
		if err := json.Unmarshal([]byte(l), &s); err != nil {
			t.Fatalf("not JSON: %q", l)
		}
		for _, e := range s.Entries {
			got[e.Subnet] += e.Bytes
		}
	}
	t.Logf("bytes per subnet: %v", got)
	for subnet, want := range map[string]uint64{srv + "/32": up, mapped: upMapped, net24 + ".0/24": down} {
		if got[subnet] != want {
			t.Errorf("%s: %d bytes, want %d (all: %v)", subnet, got[subnet], want, got)
		}
	}
	// ::1 is everyone's: other tests' traffic may add to it
	if got["::1/128"] < up6 {
		t.Errorf("::1/128: %d bytes, want at least %d (all: %v)", got["::1/128"], up6, got)
	}
}
