package sofdsnoop

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
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

func start(t *testing.T, args ...string) *livetest.Tool {
	t.Helper()
	livetest.Require(t)
	tool := livetest.Start(t, Applet, append([]string{"-v"}, args...)...)
	if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		tool.Stop()
		t.Fatalf("sofdsnoop did not start: %q", tool.Stderr())
	}
	return tool
}

type jsonEvent struct {
	Action       string
	PID, TID     int
	Comm         string
	SockFD       int `json:"sock_fd"`
	Socket       string
	FD           int
	Name         string
	Index, Total int
}

// passed is one SCM_RIGHTS pass the test made: what the tool must show.
type passed struct {
	tid                  int
	sendSock, recvSock   int
	sendInode, recvInode uint64
	sent, received       []int
}

func inode(t *testing.T, fd int) uint64 {
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		t.Fatal(err)
	}
	return st.Ino
}

// pass sends fds over a unix socket pair and receives them, on one
// thread, with sendmsg and recvmsg.
func pass(t *testing.T, fds []int) passed {
	t.Helper()
	pair, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(pair[0]); unix.Close(pair[1]) })
	p := passed{sendSock: pair[0], recvSock: pair[1], sendInode: inode(t, pair[0]), recvInode: inode(t, pair[1]), sent: fds}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	p.tid = unix.Gettid()
	if err := unix.Sendmsg(pair[0], []byte("x"), unix.UnixRights(fds...), nil, 0); err != nil {
		t.Fatal(err)
	}
	oob := make([]byte, unix.CmsgSpace(4*len(fds)))
	_, oobn, _, _, err := unix.Recvmsg(pair[1], make([]byte, 1), oob, unix.MSG_CMSG_CLOEXEC)
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := unix.ParseSocketControlMessage(oob[:oobn])
	if err != nil || len(msgs) != 1 {
		t.Fatalf("control messages %v, %v", msgs, err)
	}
	if p.received, err = unix.ParseUnixRights(&msgs[0]); err != nil {
		t.Fatal(err)
	}
	for _, fd := range p.received {
		t.Cleanup(func() { unix.Close(fd) })
	}
	return p
}

// TestLivePass: a regular file (with a hostile name) and a pipe passed
// over a unix socket pair: each shows once as SEND with the sender's
// socket and descriptors and once as RECV with the receiver's socket and
// the new descriptors, with this thread's TID and the file's path or
// pipe:[inode]; text output escapes the name; -n and -p filter in the
// kernel.
func TestLivePass(t *testing.T) {
	comm := readComm(t)
	all := start(t, "--json")
	text := start(t, "-T", "-n", comm[:min(len(comm), 6)])
	other := start(t, "--json", "-p", "1")
	path := filepath.Join(t.TempDir(), "pbx\x1b[31mpassed")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var pipe [2]int
	if err := unix.Pipe2(pipe[:], unix.O_CLOEXEC); err != nil {
		t.Fatal(err)
	}
	defer unix.Close(pipe[0])
	defer unix.Close(pipe[1])
	p := pass(t, []int{int(f.Fd()), pipe[0]})
	names := []string{path, fmt.Sprintf("pipe:[%d]", inode(t, pipe[0]))}
	deadline := time.Now().Add(livetest.Scaled(wait))
	var got []jsonEvent
	for time.Now().Before(deadline) {
		got = got[:0]
		for _, l := range all.Stdout() {
			var e jsonEvent
			if err := json.Unmarshal([]byte(l), &e); err != nil {
				t.Fatalf("not JSON: %q", l)
			}
			if e.PID == os.Getpid() && (e.Socket == fmt.Sprintf("socket:[%d]", p.sendInode) || e.Socket == fmt.Sprintf("socket:[%d]", p.recvInode)) {
				got = append(got, e)
			}
		}
		if len(got) >= 4 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	all.Stop()
	var want []jsonEvent
	for i := range p.sent {
		want = append(want, jsonEvent{Action: "SEND", PID: os.Getpid(), TID: p.tid, Comm: comm, SockFD: p.sendSock,
			Socket: fmt.Sprintf("socket:[%d]", p.sendInode), FD: p.sent[i], Name: names[i], Index: i, Total: 2})
	}
	for i := range p.received {
		want = append(want, jsonEvent{Action: "RECV", PID: os.Getpid(), TID: p.tid, Comm: comm, SockFD: p.recvSock,
			Socket: fmt.Sprintf("socket:[%d]", p.recvInode), FD: p.received[i], Name: names[i], Index: i, Total: 2})
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("events:\n got %+v\nwant %+v", got, want)
	}
	line, ok := text.WaitStdout(t, livetest.Scaled(wait), func(l string) bool { return strings.Contains(l, "RECV") && strings.Contains(l, "pbx") })
	text.Stop()
	if !ok {
		t.Errorf("-n %s: no RECV line: %q", comm[:min(len(comm), 6)], text.Stdout())
	} else if !strings.Contains(line, `pbx\x1b[31mpassed`) || strings.Contains(line, "\x1b") ||
		!strings.Contains(line, fmt.Sprintf(" %d:socket:[%d] ", p.recvSock, p.recvInode)) {
		t.Errorf("text line %q: want the socket and the escaped name", line)
	}
	other.Stop()
	if lines := other.Stdout(); len(lines) > 0 {
		for _, l := range lines {
			if strings.Contains(l, fmt.Sprintf(`"pid":%d,`, os.Getpid())) {
				t.Errorf("-p 1 reported %q", l)
			}
		}
	}
}

func readComm(t *testing.T) string {
	b, err := os.ReadFile("/proc/self/comm")
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}
