package sofdsnoop

import (
	"bytes"
	"context"
	"encoding/binary"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/sofdsnoop"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var e bpfobj.SofdsnoopSofdsnoopEvent
	if unsafe.Sizeof(e) != eventSize || unsafe.Offsetof(e.SockIno) != offSockIno || unsafe.Offsetof(e.Fd) != offFD ||
		unsafe.Offsetof(e.FdIno) != offFD+8 || unsafe.Offsetof(e.Index) != offIndex || unsafe.Offsetof(e.Comm) != offComm ||
		unsafe.Offsetof(e.Name) != offName {
		t.Fatalf("layout changed: size %d", unsafe.Sizeof(e))
	}
}

func raw(ts uint64, tid uint32, action uint32, sockFD int32, sockIno uint64, fd int32, mode uint32, ino uint64, index, total uint32, comm, name string) []byte {
	b := make([]byte, eventSize)
	ne := binary.NativeEndian
	ne.PutUint64(b, ts)
	ne.PutUint32(b[8:], 4242)
	ne.PutUint32(b[12:], tid)
	ne.PutUint32(b[16:], action)
	ne.PutUint32(b[20:], uint32(sockFD))
	ne.PutUint64(b[offSockIno:], sockIno)
	ne.PutUint32(b[offFD:], uint32(fd))
	ne.PutUint32(b[offFD+4:], mode)
	ne.PutUint64(b[offFD+8:], ino)
	ne.PutUint32(b[offIndex:], index)
	ne.PutUint32(b[offIndex+4:], total)
	copy(b[offComm:offComm+15], comm)
	copy(b[offName:offName+nameLen-1], name)
	return b
}

func samples() [][]byte {
	return [][]byte{
		raw(1_500_000_000, 4243, 0, 24, 39, 25, syscall.S_IFREG|0o600, 77, 0, 3, "Web Content", "org.chromium.x"),
		raw(1_500_000_100, 4243, 0, 24, 39, 26, syscall.S_IFIFO|0o600, 78, 1, 3, "Web Content", ""),
		raw(1_500_000_200, 4243, 0, 24, 39, 27, 0o600, 79, 2, 3, "Web Content", "[eventfd]"),
		raw(2_000_000_000, 7, 1, 49, 809997, 51, syscall.S_IFSOCK|0o777, 80, 0, 1, "evil\x1b[2Jcomm", "evil\x1b[31mname"),
		raw(2_000_000_100, 7, 1, 49, 809997, 9, 0, 0, 0, 1, "gone", ""),
	}
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 12, 1, 21, 2, 3, 0, time.Local)
	for _, tt := range []struct {
		name string
		cfg  config
	}{
		{"default", config{}},
		{"timestamp", config{timestamp: true}},
		{"json", config{json: true, timestamp: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := newPrinter(&tt.cfg, 1_000_000_000)
			var out bytes.Buffer
			if !tt.cfg.json {
				out.Write(p.header())
			}
			var e event
			for _, s := range samples() {
				if err := e.decode(s); err != nil {
					t.Fatal(err)
				}
				e.resolve("/nonexistent") // the kernel's names
				out.Write(p.format(&e, fixed))
			}
			if tt.cfg.json {
				golden.JSONLines(t, out.String())
			}
			golden.Check(t, tt.name, out.String())
		})
	}
}

// TestResolveFromProc: a descriptor still open in the process shows its
// full path; one whose inode differs (reused number) shows the kernel's
// name.
func TestResolveFromProc(t *testing.T) {
	f := t.TempDir() + "/full-path-file"
	fd, err := syscall.Open(f, syscall.O_CREAT|syscall.O_RDWR|syscall.O_CLOEXEC, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	syscall.Fstat(fd, &st)
	var e event
	e.decode(raw(0, 1, 0, 3, 1, int32(fd), syscall.S_IFREG, st.Ino, 0, 1, "x", "full-path-file"))
	e.pid = uint32(syscall.Getpid())
	e.resolve("/proc")
	if string(e.name) != f || !e.fromProc {
		t.Errorf("name %q, want %q from /proc", e.name, f)
	}
	e.ino = st.Ino + 1
	e.resolve("/proc")
	if string(e.name) != "full-path-file" || e.fromProc {
		t.Errorf("reused descriptor: name %q, want the kernel's full-path-file", e.name)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"-p", "0"}, {"-t", "-1"}, {"-d", "0"}, {"-n", ""}, {"-n", "0123456789abcdef"}, {"-p", "x"}, {"extra"}, {"-z"}, {"--btf"}} {
		var out, errb strings.Builder
		status := Applet.Exec(context.Background(), args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		if status != 2 || !strings.HasPrefix(errb.String(), "sofdsnoop: ") || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("%q: status %d, stderr %q; want 2 and one sofdsnoop: line", args, status, errb.String())
		}
	}
}

func TestHookPrograms(t *testing.T) {
	s, err := bpfobj.LoadSofdsnoop()
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range (&config{pid: 3, tid: 4, name: "abc"}).consts() {
		if vs, ok := s.Variables[name]; !ok || vs.Set(v) != nil {
			t.Errorf("constant %s", name)
		}
	}
	for _, h := range Hooks {
		for _, c := range h.Candidates {
			for _, a := range c.Attach {
				if s.Programs[a.Program] == nil {
					t.Errorf("%s: no program %s", h.Name, a.Program)
				}
			}
		}
	}
}
