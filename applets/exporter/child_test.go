package exporter

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/internal/proctest"
)

// childEnv makes the test binary run the exporter (as `probebox exporter`
// would), so live tests drive a real process: its own capabilities, RSS,
// signals.
const childEnv = "PROBEBOX_TEST_EXPORTER"

// pingPongEnv makes the test binary wait for a line on stdin (RunInCgroup
// moves it meanwhile), then ping-pong N times between two threads.
const pingPongEnv = "PROBEBOX_TEST_PINGPONG"

func TestMain(m *testing.M) {
	if n, err := strconv.Atoi(os.Getenv(pingPongEnv)); err == nil {
		bufio.NewReader(os.Stdin).ReadString('\n')
		pingPong(nil, n)
		os.Exit(0)
	}
	if os.Getenv(childEnv) == "1" {
		os.Exit(Applet.Main(os.Args[1:], applet.Streams{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}))
	}
	proctest.Main(m)
}

// child is an exporter process started by a test.
type child struct {
	cmd  *exec.Cmd
	addr string // host:port it serves on
	done chan struct{}

	mu     sync.Mutex
	stderr []string
}

// startExporter runs the exporter on a free loopback port with args and
// the extra environment env, and waits until it serves.
func startExporter(t *testing.T, env []string, args ...string) *child {
	t.Helper()
	livetest.Require(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	c := &child{done: make(chan struct{})}
	c.cmd = exec.Command(self, append([]string{"--listen", "127.0.0.1:0"}, args...)...)
	c.cmd.Env = append(append(os.Environ(), childEnv+"=1"), env...)
	outR, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	errR, err := c.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	serving := make(chan string, 1)
	stderrDone := make(chan struct{})
	go func() {
		defer close(stderrDone)
		sc := bufio.NewScanner(errR)
		for sc.Scan() {
			c.mu.Lock()
			c.stderr = append(c.stderr, sc.Text())
			c.mu.Unlock()
		}
	}()
	go func() {
		defer close(c.done)
		sc := bufio.NewScanner(outR)
		for sc.Scan() {
			if _, url, ok := strings.Cut(sc.Text(), " collectors on http://"); ok {
				serving <- strings.TrimSuffix(url, "/metrics")
			}
		}
		io.Copy(io.Discard, outR)
		<-stderrDone
		c.cmd.Wait()
	}()
	t.Cleanup(func() { c.stop(t) })
	select {
	case c.addr = <-serving:
	case <-c.done:
		t.Fatalf("the exporter exited before serving: %q", c.lines())
	case <-time.After(livetest.Scaled(60 * time.Second)):
		t.Fatalf("the exporter did not serve within %v: %q", livetest.Scaled(60*time.Second), c.lines())
	}
	return c
}

func (c *child) lines() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.stderr)
}

// stop sends SIGTERM and returns the exit status (-1: had to be killed).
func (c *child) stop(t *testing.T) int {
	select {
	case <-c.done:
		return c.cmd.ProcessState.ExitCode()
	default:
	}
	c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.done:
		return c.cmd.ProcessState.ExitCode()
	case <-time.After(10 * time.Second):
		c.cmd.Process.Kill()
		<-c.done
		t.Errorf("the exporter did not exit within 10s of SIGTERM")
		return -1
	}
}

// progIDs lists the BPF programs the process holds, from its fdinfo.
func (c *child) progIDs(t *testing.T) []int {
	t.Helper()
	dir := fmt.Sprintf("/proc/%d/fdinfo", c.cmd.Process.Pid)
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			continue
		}
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "prog_id:"); ok {
				if id, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && !slices.Contains(ids, id) {
					ids = append(ids, id)
				}
			}
		}
	}
	return ids
}

// rssKiB is the process's resident set (VmRSS).
func (c *child) rssKiB(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", c.cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return n
		}
	}
	t.Fatal("no VmRSS")
	return 0
}

// scrapeText gets /metrics in the text format.
func scrapeText(t testing.TB, client *http.Client, url string) string {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %v %s", url, err, resp.Status)
	}
	return string(body)
}

// sample is one line of the text format.
type sample struct {
	name   string
	labels map[string]string
	value  float64
}

// parseText reads the samples of the text format (as client_golang
// writes it: no escapes inside label values of our metrics).
func parseText(t testing.TB, text string) []sample {
	t.Helper()
	var out []sample
	for _, l := range strings.Split(text, "\n") {
		if l == "" || l[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(l, ' ')
		v, err := strconv.ParseFloat(l[i+1:], 64)
		if err != nil {
			t.Fatalf("bad sample %q", l)
		}
		s := sample{labels: map[string]string{}, value: v}
		head := l[:i]
		name, rest, hasLabels := strings.Cut(head, "{")
		s.name = name
		if hasLabels {
			rest = strings.TrimSuffix(rest, "}")
			for rest != "" {
				k, r, _ := strings.Cut(rest, `="`)
				val, r2, _ := strings.Cut(r, `"`)
				s.labels[k] = val
				rest = strings.TrimPrefix(r2, ",")
			}
		}
		out = append(out, s)
	}
	return out
}

// sel selects series by name and label values.
type sel struct {
	name   string
	labels map[string]string
}

func (s sel) String() string {
	keys := make([]string, 0, len(s.labels))
	for k := range s.labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		return s.name
	}
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%q", k, s.labels[k])
		if k == "le" {
			// OpenMetrics, which Prometheus negotiates, writes 4096.0.
			parts[i] = fmt.Sprintf("le=~%q", s.labels[k]+"|"+s.labels[k]+".0")
		}
	}
	return s.name + "{" + strings.Join(parts, ",") + "}"
}

// sum adds the values of the samples s selects.
func (s sel) sum(samples []sample) float64 {
	var total float64
	for _, x := range samples {
		if x.name != s.name {
			continue
		}
		match := true
		for k, v := range s.labels {
			if x.labels[k] != v {
				match = false
			}
		}
		if match {
			total += x.value
		}
	}
	return total
}

// cpuTime is the user and system CPU time the process has used.
func (c *child) cpuTime(t *testing.T) time.Duration {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", c.cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	// Fields after the parenthesised comm: utime and stime are 14 and 15.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	ut, _ := strconv.Atoi(f[11])
	st, _ := strconv.Atoi(f[12])
	return time.Duration(ut+st) * time.Second / 100 // USER_HZ
}
