package livetest

// Deadlines here (60s) only bound a broken setup: the kernel matrix runs
// under qemu without acceleration, where a session of 100 KB under a
// tracing tool takes seconds.

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Session is a finished TCP session between a helper process (the
// client) and the test (the server), with known byte counts both ways.
type Session struct {
	ClientPID           int
	ClientPort, SrvPort int
	ClientSent, SrvSent int // bytes each side wrote (and the other read)
}

// TCPSession runs a helper process named name inside n that connects to
// a listener of the test on addr ("127.0.0.1" or "::1"), sends send
// bytes, reads recv bytes and closes; the test's side reads the send
// bytes, writes recv bytes and closes after the client did (so the
// client passes FIN_WAIT and the server LAST_ACK). It returns once both
// sockets are closed.
func TCPSession(t testing.TB, n *Netns, name, addr string, send, recv int) *Session {
	t.Helper()
	return TCPSessionOn(t, n, n.Listen(t, net.JoinHostPort(addr, "0")), name, send, recv)
}

// TCPSessionOn is TCPSession on a listener the test made in n (so it
// knows the server's port beforehand).
func TCPSessionOn(t testing.TB, n *Netns, ln *net.TCPListener, name string, send, recv int) *Session {
	t.Helper()
	s := &Session{ClientSent: send, SrvSent: recv, SrvPort: ln.Addr().(*net.TCPAddr).Port}
	served := make(chan error, 1)
	go func() { served <- serve(ln, send, recv) }()
	cmd := Helper(t, name, "tcpclient", ln.Addr().String(), strconv.Itoa(send), strconv.Itoa(recv))
	var out bytes.Buffer
	cmd.Stdout = &out
	var err error
	n.Do(t, func() { err = cmd.Start() }) // the helper is born in the namespace
	if err != nil {
		t.Fatalf("helper %s: %v", name, err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("helper %s: %v (stdout %q)", name, err, out.String())
	}
	s.ClientPID = cmd.Process.Pid
	if s.ClientPort, err = strconv.Atoi(strings.TrimSpace(out.String())); err != nil {
		t.Fatalf("helper %s printed %q", name, out.String())
	}
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("server side of the session: %v", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("server side of the session did not end")
	}
	return s
}

func serve(ln *net.TCPListener, recv, send int) error {
	ln.SetDeadline(time.Now().Add(60 * time.Second))
	c, err := ln.AcceptTCP()
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(60 * time.Second))
	if _, err := io.CopyN(io.Discard, c, int64(recv)); err != nil {
		return fmt.Errorf("reading %d bytes: %w", recv, err)
	}
	if _, err := c.Write(bytes.Repeat([]byte("s"), send)); err != nil {
		return err
	}
	// wait for the client's FIN, so this side closes second
	if n, err := io.Copy(io.Discard, c); err != nil || n != 0 {
		return fmt.Errorf("after the session: %d more bytes, %v", n, err)
	}
	return nil
}

// tcpClient is the helper side of TCPSession.
func tcpClient(addr, sendArg, recvArg string) int {
	send, err1 := strconv.Atoi(sendArg)
	recv, err2 := strconv.Atoi(recvArg)
	if err1 != nil || err2 != nil {
		return 2
	}
	c, err := net.DialTimeout("tcp", addr, 60*time.Second)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	c.SetDeadline(time.Now().Add(60 * time.Second))
	w := bufio.NewWriter(os.Stdout)
	fmt.Fprintln(w, c.LocalAddr().(*net.TCPAddr).Port)
	w.Flush()
	if _, err := c.Write(bytes.Repeat([]byte("c"), send)); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if _, err := io.CopyN(io.Discard, c, int64(recv)); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	c.Close()
	return 0
}
