package sslsniff

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
)

// wait is generous: under TCG in the kernel matrix, loading alone can take
// many seconds.
const wait = 60 * time.Second

// peer is a running openssl s_server or s_client.
type peer struct {
	cmd   *exec.Cmd
	in    io.WriteCloser
	lines chan string
}

func startPeer(t *testing.T, args ...string) *peer {
	t.Helper()
	cmd := exec.Command("openssl", args...)
	in, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &peer{cmd: cmd, in: in, lines: make(chan string, 100)}
	go func() {
		s := bufio.NewScanner(out)
		for s.Scan() {
			p.lines <- s.Text()
		}
		close(p.lines)
	}()
	t.Cleanup(func() { in.Close(); cmd.Process.Kill(); cmd.Wait() })
	return p
}

// expect waits for a line of the peer's output containing want.
func (p *peer) expect(t *testing.T, want string) {
	t.Helper()
	timeout := time.After(wait)
	var seen []string
	for {
		select {
		case l, ok := <-p.lines:
			if !ok {
				t.Fatalf("openssl %v ended without printing %q: %q", p.cmd.Args[1], want, seen)
			}
			if strings.Contains(l, want) {
				return
			}
			seen = append(seen, l)
		case <-timeout:
			t.Fatalf("openssl %v did not print %q: %q", p.cmd.Args[1], want, seen)
		}
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

type jsonEvent struct {
	Func      string  `json:"func"`
	PID       int     `json:"pid"`
	Comm      string  `json:"comm"`
	Len       int     `json:"len"`
	Truncated bool    `json:"truncated"`
	Data      string  `json:"data"`
	LatMs     float64 `json:"lat_ms"`
	Ret       int     `json:"ret"`
}

// TestLiveTLS: an openssl s_client talks TLS to an openssl s_server on
// 127.0.0.1, each sending a unique line. sslsniff shows the plaintext in
// both directions, each from both ends (the writer's WRITE/SEND, the
// reader's READ/RECV), with the right PIDs and lengths; --handshake shows
// the server's handshake; the text output frames the data as bcc does.
func TestLiveTLS(t *testing.T) {
	livetest.Require(t)
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl is not installed (the busybox test guests): no TLS peers")
	}
	dir := t.TempDir()
	key, cert := filepath.Join(dir, "key.pem"), filepath.Join(dir, "cert.pem")
	if out, err := exec.Command("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
		"-keyout", key, "-out", cert, "-days", "1").CombinedOutput(); err != nil {
		t.Fatalf("making a certificate: %v\n%s", err, out)
	}
	js := livetest.Start(t, Applet, "-v", "--json", "--handshake", "-c", "openssl")
	text := livetest.Start(t, Applet, "-v", "-l", "-x", "-c", "openssl")
	for _, tool := range []*livetest.Tool{js, text} {
		if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
			t.Fatalf("sslsniff did not start: %q", tool.Stderr())
		}
	}
	if !strings.Contains(strings.Join(js.Stderr(), "\n"), "SSL_read, SSL_write") {
		t.Errorf("-v does not name the OpenSSL probes: %q", js.Stderr())
	}

	addr := "127.0.0.1:" + strconv.Itoa(freePort(t))
	server := startPeer(t, "s_server", "-accept", addr, "-cert", cert, "-key", key, "-naccept", "1")
	server.expect(t, "ACCEPT")
	client := startPeer(t, "s_client", "-connect", addr, "-quiet")
	token := fmt.Sprintf("pbx-tls-%d", time.Now().UnixNano())
	fmt.Fprintf(client.in, "%s-from-client\n", token)
	server.expect(t, token+"-from-client")
	fmt.Fprintf(server.in, "%s-from-server\n", token)
	client.expect(t, token+"-from-server")

	want := map[string]int{ // "FUNC data" -> PID
		"WRITE/SEND " + token + "-from-client\n": client.cmd.Process.Pid,
		"READ/RECV " + token + "-from-client\n":  server.cmd.Process.Pid,
		"WRITE/SEND " + token + "-from-server\n": server.cmd.Process.Pid,
		"READ/RECV " + token + "-from-server\n":  client.cmd.Process.Pid,
	}
	got := map[string]int{}
	handshake := false
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) && (len(got) < len(want) || !handshake) {
		js.WaitStdout(t, 200*time.Millisecond, func(string) bool { return false })
		for _, l := range js.Stdout() {
			var ev jsonEvent
			if err := json.Unmarshal([]byte(l), &ev); err != nil {
				t.Fatalf("%q: %v", l, err)
			}
			if ev.Func == "HANDSHAKE" && ev.PID == server.cmd.Process.Pid && ev.Ret == 1 {
				handshake = true
			}
			data, err := base64.StdEncoding.DecodeString(ev.Data)
			if err != nil {
				t.Fatalf("data of %q: %v", l, err)
			}
			if k := ev.Func + " " + string(data); want[k] != 0 {
				got[k] = ev.PID
				if ev.Len != len(data) || ev.Truncated || ev.Comm != "openssl" {
					t.Errorf("event %q: want len %d, not truncated, comm openssl", l, len(data))
				}
			}
		}
	}
	for k, pid := range want {
		if got[k] != pid {
			t.Errorf("%q: PID %d, want %d", k, got[k], pid)
		}
	}
	if !handshake {
		t.Errorf("--handshake: no successful handshake of the server (PID %d)", server.cmd.Process.Pid)
	}

	// Text: the line, then the data between bcc's markers.
	if _, ok := text.WaitStdout(t, wait, func(l string) bool { return l == token+"-from-server" }); !ok {
		t.Fatalf("text output lacks the data: %q", text.Stdout())
	}
	out := text.Stdout()
	if out[0] != "FUNC         TIME(s)            COMM             PID     LEN    UID     TID     LAT(ms)" {
		t.Errorf("header %q", out[0])
	}
	for i, l := range out {
		if l != token+"-from-client" || i < 2 || out[i-1] != "----- DATA -----" {
			continue
		}
		f := strings.Fields(out[i-2])
		if len(f) != 8 || f[0] != "WRITE/SEND" && f[0] != "READ/RECV" || f[2] != "openssl" || f[4] != strconv.Itoa(len(token+"-from-client\n")) {
			t.Errorf("event line %q", out[i-2])
		}
		if i+2 >= len(out) || out[i+2] != "----- END DATA -----" {
			t.Errorf("no END DATA after the data: %q", out[i:])
		}
	}
}
