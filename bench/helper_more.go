package main

import (
	"fmt"
	"net"
	"os"
	"syscall"
)

// connLoop: n TCP sessions over 127.0.0.1, each a connect, 64 bytes sent,
// read back by the helper's own listener, and a close from both ends: the
// state changes, sends and receives the network tools trace, and one
// NET_RX softirq or more per segment on loopback.
func connLoop(n int) func() (int, error) {
	return func() (int, error) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, err
		}
		defer ln.Close()
		served := make(chan error, 1)
		go func() {
			buf := make([]byte, 64)
			for i := 0; i < n; i++ {
				c, err := ln.Accept()
				if err != nil {
					served <- err
					return
				}
				_, err = c.Read(buf)
				c.Close()
				if err != nil {
					served <- err
					return
				}
			}
			served <- nil
		}()
		msg := make([]byte, 64)
		for i := 0; i < n; i++ {
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				return i, err
			}
			if _, err := c.Write(msg); err != nil {
				c.Close()
				return i, err
			}
			c.Close()
		}
		return n, <-served
	}
}

// readLoop: n 4 KiB preads of a file the page cache holds (read once
// first), each a page-cache hit and one read system call.
func readLoop(n int, path string) func() (int, error) {
	return func() (int, error) {
		f, err := os.Open(path)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil || st.Size() < 4096 {
			return 0, fmt.Errorf("%s: want at least 4 KiB: %v", path, err)
		}
		buf := make([]byte, 4096)
		pages := st.Size() / 4096
		fd := int(f.Fd())
		for i := 0; i < n; i++ {
			if _, err := syscall.Pread(fd, buf, (int64(i)%pages)*4096); err != nil {
				return i, err
			}
		}
		return n, nil
	}
}
