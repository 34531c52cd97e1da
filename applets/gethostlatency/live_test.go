package gethostlatency

import (
	"bufio"
	"encoding/json"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
)

// wait is generous: under TCG in the kernel matrix, loading alone can take
// many seconds.
const wait = 60 * time.Second

type target struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

func startTarget(t *testing.T) *target {
	t.Helper()
	// Built now or beforehand (the kernel matrix's guests have no
	// compiler).
	bin := livetest.CProgram(t, "testdata/lookups.c")
	cmd := exec.Command(bin)
	in, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close(); cmd.Process.Kill(); cmd.Wait() })
	tg := &target{cmd: cmd, in: in, out: bufio.NewReader(out)}
	if l, _ := tg.out.ReadString('\n'); l != "ready\n" {
		t.Fatalf("target said %q", l)
	}
	return tg
}

// TestLiveLookups: a C program resolves localhost with
// getaddrinfo, gethostbyname and gethostbyname2. gethostlatency -p shows
// the three calls with its PID, comm, host and a latency; the text
// columns are libbpf-tools'.
func TestLiveLookups(t *testing.T) {
	livetest.Require(t)
	tg := startTarget(t)
	pid := tg.cmd.Process.Pid
	js := livetest.Start(t, Applet, "-v", "--json", "-p", strconv.Itoa(pid))
	text := livetest.Start(t, Applet, "-v", "-p", strconv.Itoa(pid))
	for _, tool := range []*livetest.Tool{js, text} {
		if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
			t.Fatalf("gethostlatency did not start: %q", tool.Stderr())
		}
	}
	tg.in.Write([]byte("go\n"))
	if l, _ := tg.out.ReadString('\n'); l != "0 1 1\n" {
		t.Fatalf("target's lookups: %q, want 0 1 1 (localhost in /etc/hosts)", l)
	}
	seen := map[string]bool{}
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) && len(seen) < 3 {
		js.WaitStdout(t, 200*time.Millisecond, func(string) bool { return false })
		for _, l := range js.Stdout() {
			var ev struct {
				PID   int     `json:"pid"`
				Comm  string  `json:"comm"`
				Host  string  `json:"host"`
				Func  string  `json:"func"`
				LatMs float64 `json:"lat_ms"`
				LatNs uint64  `json:"lat_ns"`
				Found bool    `json:"found"`
			}
			if err := json.Unmarshal([]byte(l), &ev); err != nil {
				t.Fatalf("%q: %v", l, err)
			}
			if ev.PID != pid || ev.Comm != "pbx-resolver" || ev.Host != "localhost" || !ev.Found || ev.LatNs == 0 || ev.LatMs > 10000 {
				t.Errorf("event %q; want pid %d comm pbx-resolver host localhost found, a latency", l, pid)
			}
			seen[ev.Func] = true
		}
	}
	for _, f := range []string{"getaddrinfo", "gethostbyname", "gethostbyname2"} {
		if !seen[f] {
			t.Errorf("no %s event; seen %v", f, seen)
		}
	}
	line, ok := text.WaitStdout(t, wait, func(l string) bool { return strings.HasSuffix(l, " localhost") })
	if !ok {
		t.Fatalf("no text line; stdout %q", text.Stdout())
	}
	f := strings.Fields(line)
	if len(f) != 5 || f[1] != strconv.Itoa(pid) || f[2] != "pbx-resolver" {
		t.Errorf("line %q; want TIME %d pbx-resolver LATms localhost", line, pid)
	}
	if ms, err := strconv.ParseFloat(f[3], 64); err != nil || ms < 0 {
		t.Errorf("LATms %q", f[3])
	}
	if got := text.Stdout()[0]; got != "TIME     PID     COMM             LATms      HOST" {
		t.Errorf("header %q", got)
	}
	if !strings.Contains(strings.Join(js.Stderr(), "\n"), "getaddrinfo, gethostbyname, gethostbyname2 in ") {
		t.Errorf("-v does not name the probes: %q", js.Stderr())
	}
}
