package filetop

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/livetest"
)

func TestMain(m *testing.M) { livetest.Main(m) }

// The helper verb "rw FILE": 5 writes of 4 KiB to a new FILE, 3 reads of
// 8 KiB from it, and 2 writes of 100 bytes to a pipe (not a regular file).
func init() {
	livetest.HelperVerb("rw", func(args []string) int {
		fd, err := unix.Open(args[0], unix.O_CREAT|unix.O_RDWR|unix.O_TRUNC, 0o600)
		if err != nil {
			return 1
		}
		buf := make([]byte, 8192)
		for i := 0; i < 5; i++ {
			unix.Write(fd, buf[:4096])
		}
		for i := 0; i < 3; i++ {
			unix.Pread(fd, buf, int64(i)*8192)
		}
		var p [2]int
		if unix.Pipe(p[:]) != nil {
			return 1
		}
		unix.Write(p[1], buf[:100])
		unix.Write(p[1], buf[:100])
		return 0
	})
}

type jsonRow struct {
	PID        uint32 `json:"pid"`
	TID        uint32 `json:"tid"`
	Comm       string `json:"comm"`
	Reads      uint64 `json:"reads"`
	Writes     uint64 `json:"writes"`
	ReadBytes  uint64 `json:"read_bytes"`
	WriteBytes uint64 `json:"write_bytes"`
	Type       string `json:"type"`
	File       string `json:"file"`
	Inode      uint64 `json:"inode"`
}

// runHelper runs the "rw" helper with the tool (args, plus -p of the
// helper) attached, and returns the helper's rows summed over screens.
func runHelper(t *testing.T, args ...string) (map[string]jsonRow, []string) {
	t.Helper()
	livetest.Require(t)
	name := "pbx-filetop-" + strconv.Itoa(os.Getpid())
	cmd, release := livetest.StartWaiting(t, "pbxft", "rw", filepath.Join(t.TempDir(), name))
	tool := livetest.Start(t, Applet, append([]string{"-v", "--json", "-p", strconv.Itoa(cmd.Process.Pid)}, args...)...)
	if _, ok := tool.WaitStderr(t, 20*time.Second, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("did not start: %q", tool.Stderr())
	}
	if err := release(); err != nil {
		t.Fatalf("helper: %v", err)
	}
	if status := tool.Stop(); status != 0 {
		t.Fatalf("status %d: %q", status, tool.Stderr())
	}
	rows := map[string]jsonRow{}
	for _, l := range tool.Stdout() {
		var s struct{ Rows []jsonRow }
		if err := json.Unmarshal([]byte(l), &s); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		for _, r := range s.Rows {
			if r.PID != uint32(cmd.Process.Pid) || r.Comm != "pbxft" {
				t.Errorf("-p %d shows %+v", cmd.Process.Pid, r)
			}
			k := r.Type + " " + r.File
			x := rows[k]
			x.Reads += r.Reads
			x.Writes += r.Writes
			x.ReadBytes += r.ReadBytes
			x.WriteBytes += r.WriteBytes
			x.Type, x.File = r.Type, r.File
			rows[k] = x
		}
	}
	return rows, tool.Stderr()
}

// TestLiveFile: the helper's reads and writes of its file are shown under
// the file's name with the right counts and requested bytes; its pipe
// writes only with -a, as type O.
func TestLiveFile(t *testing.T) {
	name := "pbx-filetop-" + strconv.Itoa(os.Getpid())
	rows, stderr := runHelper(t)
	want := jsonRow{Reads: 3, Writes: 5, ReadBytes: 3 * 8192, WriteBytes: 5 * 4096, Type: "R", File: name}
	if got := rows["R "+name]; got != want || len(rows) != 1 {
		t.Errorf("rows %+v, want only %+v", rows, want)
	}
	if !strings.Contains(strings.Join(stderr, "\n"), "vfs_read") && !strings.Contains(strings.Join(stderr, "\n"), "sys_enter_read") {
		t.Errorf("-v does not name the hook: %q", stderr)
	}
	rows, _ = runHelper(t, "-a")
	// A pipe's dentry has no name (pipefs makes "pipe:[N]" up on demand).
	if got := rows["O "]; got.Writes != 2 || got.WriteBytes != 200 || len(rows) != 2 {
		t.Errorf("-a: pipe row %+v, want 2 writes of 100 bytes and the file row only (all: %+v)", got, rows)
	}
}

// TestLiveText: "1 1" prints the loadavg line and header, with no escape
// codes on a pipe.
func TestLiveText(t *testing.T) {
	livetest.Require(t)
	tool := livetest.Start(t, Applet, "-s", "rbytes", "1", "1")
	status, exited := tool.Exited(20 * time.Second)
	if !exited || status != 0 {
		t.Fatalf("exited %v status %d: %q", exited, status, tool.Stderr())
	}
	out := strings.Join(tool.Stdout(), "\n")
	if !strings.Contains(out, " loadavg: ") || !strings.Contains(out, strings.TrimSuffix(headerLine, "\n")) || strings.Contains(out, "\x1b") {
		t.Errorf("output:\n%q", out)
	}
}
