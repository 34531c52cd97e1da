package filelife

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/livetest"
)

func TestMain(m *testing.M) { livetest.Main(m) }

// lives are the files the helper verb "life DIR" creates and deletes, with
// how long each lives and how: by the same relative name; by the same
// absolute path; created by absolute path and deleted by its name from
// its directory. It also opens an existing file (the test makes it) with O_CREAT and deletes
// it: not created then, so not reported.
var lives = []struct {
	name      string
	delay     time.Duration
	absCreate bool
	absUnlink bool
}{
	{"pbx-short", 200 * time.Millisecond, false, false},
	{"pbx-abs", 600 * time.Millisecond, true, true},
	{"pbx-mixed", 400 * time.Millisecond, true, false},
}

func init() {
	livetest.HelperVerb("life", func(args []string) int {
		dir := args[0]
		if unix.Chdir(dir) != nil {
			return 1
		}
		path := func(name string, abs bool) string {
			if abs {
				return filepath.Join(dir, name)
			}
			return name
		}
		existing := "pbx-existing" // made by the test beforehand
		for _, l := range lives {
			fd, err := unix.Open(path(l.name, l.absCreate), unix.O_CREAT|unix.O_EXCL|unix.O_WRONLY, 0o600)
			if err != nil {
				return 1
			}
			unix.Close(fd)
			time.Sleep(l.delay)
			if unix.Unlink(path(l.name, l.absUnlink)) != nil {
				return 1
			}
		}
		fd, err := unix.Open(existing, unix.O_CREAT|unix.O_WRONLY, 0o600)
		if err != nil {
			return 1
		}
		unix.Close(fd)
		if unix.Unlink(existing) != nil {
			return 1
		}
		return 0
	})
}

// TestLiveAges: the helper's files are reported when deleted, with the
// deleting process and an age of at least the delay the helper waited.
func TestLiveAges(t *testing.T) {
	livetest.Require(t)
	dir := t.TempDir()
	fd, err := unix.Open(filepath.Join(dir, "pbx-existing"), unix.O_CREAT|unix.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	unix.Close(fd)
	cmd, release := livetest.StartWaiting(t, "pbxlife", "life", dir)
	tool := livetest.Start(t, Applet, "-v", "--json", "-p", strconv.Itoa(cmd.Process.Pid))
	if _, ok := tool.WaitStderr(t, 20*time.Second, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("did not start: %q", tool.Stderr())
	}
	if err := release(); err != nil {
		t.Fatalf("helper: %v", err)
	}
	tool.WaitStdout(t, 5*time.Second, func(l string) bool { return strings.Contains(l, "pbx-mixed") })
	if status := tool.Stop(); status != 0 {
		t.Fatalf("status %d: %q", status, tool.Stderr())
	}
	got := map[string]time.Duration{}
	for _, l := range tool.Stdout() {
		var e struct {
			PID   int    `json:"pid"`
			Comm  string `json:"comm"`
			AgeNs int64  `json:"age_ns"`
			File  string `json:"file"`
		}
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		if e.PID != cmd.Process.Pid || e.Comm != "pbxlife" {
			t.Errorf("event %+v: want PID %d, comm pbxlife", e, cmd.Process.Pid)
		}
		got[e.File] = time.Duration(e.AgeNs)
	}
	for _, l := range lives {
		age, ok := got[l.name]
		if !ok || age < l.delay || age > l.delay+3*time.Second {
			t.Errorf("%s: age %v (reported %v), want at least %v", l.name, age, ok, l.delay)
		}
	}
	if _, ok := got["pbx-existing"]; ok || len(got) != len(lives) {
		t.Errorf("reported %v: a file opened with O_CREAT that existed was not created then", got)
	}
}

// TestLiveText: a file the test itself creates and deletes appears in the
// text layout.
func TestLiveText(t *testing.T) {
	livetest.Require(t)
	tool := livetest.Start(t, Applet, "-v")
	if _, ok := tool.WaitStderr(t, 20*time.Second, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("did not start: %q", tool.Stderr())
	}
	f := filepath.Join(t.TempDir(), "pbx-text-life")
	fd, err := unix.Open(f, unix.O_CREAT|unix.O_EXCL|unix.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	unix.Close(fd)
	time.Sleep(300 * time.Millisecond)
	unix.Unlink(f)
	line, ok := tool.WaitStdout(t, 5*time.Second, func(l string) bool { return strings.HasSuffix(l, " pbx-text-life") })
	tool.Stop()
	fields := strings.Fields(line)
	if !ok || len(fields) != 5 || fields[1] != strconv.Itoa(unix.Getpid()) || fields[2] != livetest.SelfComm(t) {
		t.Errorf("no line for the test's file: %q", tool.Stdout())
	} else if age, _ := strconv.ParseFloat(fields[3], 64); age < 0.3 {
		t.Errorf("age %s, want >= 0.30", fields[3])
	}
	if out := tool.Stdout(); len(out) < 2 || out[1] != strings.TrimSuffix(headerLine, "\n") {
		t.Errorf("header: %q", out)
	}
}
