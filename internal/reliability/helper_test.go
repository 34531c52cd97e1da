package reliability

import (
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

const helperEnv = "PBX_RELIABILITY_HELPER"

var (
	helperOnce sync.Once
	helperErr  error
)

// nasty is what a hostile process puts in its name, arguments and paths:
// escape sequences (clear screen, set the window title), carriage return,
// backspace, a bidi override and invalid UTF-8.
const nasty = "\x1b[2J\x1b]0;owned\a\r\b\u202e\xff\xfe"

// helperComm is the helper's task name: a marker, then terminal
// controls. Task names are at most 15 bytes.
const helperComm = "pbx\x1b[2J\r\b\xff"

// helperMain is the helper process: it does one of everything the applets
// trace, with hostile bytes wherever a process controls them.
func helperMain(args []string) int {
	// The process the test starts wore the test binary's name until its
	// exec; a child forked from it carries the hostile name all its life
	// (runqlat keys histograms by the first name it sees).
	if os.Getenv(helperEnv) != "child" {
		self, err := os.Executable()
		if err != nil {
			return 1
		}
		cmd := exec.Command(self, args...)
		cmd.Env = append(os.Environ(), helperEnv+"=child")
		if err := cmd.Run(); err != nil {
			return 1
		}
		return 0
	}
	if len(args) > 0 {
		if f, err := os.Create(args[0]); err == nil {
			f.WriteString("x")
			f.Close()
		}
		if f, err := os.Open(args[0]); err == nil {
			io.Copy(io.Discard, f)
			f.Close()
		}
	}
	if ln, err := net.Listen("tcp4", "127.0.0.1:0"); err == nil {
		if c, err := net.Dial("tcp4", ln.Addr().String()); err == nil {
			if s, err := ln.Accept(); err == nil {
				s.Write([]byte("x"))
				s.Close()
			}
			c.Close()
		}
		ln.Close()
	}
	for i := 0; i < 20; i++ {
		time.Sleep(2 * time.Millisecond) // wakeups: run queue latency
		syscall.Getppid()
	}
	return 0
}

// runHelper runs the helper to completion under the name helperComm, with
// hostile arguments and a hostile file name to open.
func runHelper(t *testing.T) {
	t.Helper()
	dir := filepath.Join(workDir, "helper")
	path := filepath.Join(dir, helperComm)
	// Once: a copy being written while another test runs it fails with
	// ETXTBSY.
	helperOnce.Do(func() {
		self, err := os.Executable()
		if err == nil {
			os.MkdirAll(dir, 0o755)
			var b []byte
			if b, err = os.ReadFile(self); err == nil {
				err = os.WriteFile(path, b, 0o755)
			}
		}
		helperErr = err
	})
	if helperErr != nil {
		t.Fatal(helperErr)
	}
	cmd := exec.Command(path, filepath.Join(dir, "pbxfile"+nasty), "arg"+nasty, nasty)
	cmd.Env = append(os.Environ(), helperEnv+"=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("helper: %v %s", err, out)
	}
}
