package exporter

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/probebox/probebox/core/applet"
)

// TestBadInput: every mistake is one line and exit status 2, before
// anything is loaded or served.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(text), 0o600)
		return p
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown collector", []string{"--collectors", "biolatency,nosuch"},
			`unknown collector "nosuch": known collectors are biolatency, runqlat, tcpretrans, tcpconnect, tcpaccept, execsnoop`},
		{"empty collector list", []string{"--collectors", ","}, "no collector named"},
		{"missing config", []string{"--config", filepath.Join(dir, "none.yml")}, "no such file"},
		{"config typo", []string{"--config", write("typo.yml", "tcp_port: true\n")}, "field tcp_port not found"},
		{"config bad value", []string{"--config", write("bad.yml", "max_label_values: 0\n")}, "max_label_values 0"},
		{"config unknown collector", []string{"--config", write("c.yml", "collectors: [foo]\n")}, `unknown collector "foo"`},
		{"unparsable web config", []string{"--web.config.file", write("web.yml", "tls_server_config: [\n")}, "--web.config.file"},
		{"web config missing cert", []string{"--web.config.file", write("web2.yml", "tls_server_config:\n  cert_file: /nonexistent.pem\n  key_file: /nonexistent.key\n")}, "--web.config.file"},
		{"bad listen address", []string{"--listen", "127.0.0.1:99999", "--collectors", "execsnoop"}, "listening on"},
		{"max-cpu 0", []string{"--max-cpu", "0"}, "invalid value 0 for option --max-cpu"},
		{"max-cpu too high", []string{"--max-cpu", "100000"}, "invalid value 100000 for option --max-cpu"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb strings.Builder
			st := Applet.Exec(context.Background(), tc.args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
			wantSt := 2
			if tc.name == "bad listen address" {
				wantSt = 1 // a run-time failure
			}
			if st != wantSt {
				t.Errorf("status %d, want %d; stderr %q", st, wantSt, errb.String())
			}
			if msg := errb.String(); strings.Count(msg, "\n") != 1 || !strings.Contains(msg, tc.want) {
				t.Errorf("stderr %q: want one line with %q", msg, tc.want)
			}
			if out.Len() > 0 {
				t.Errorf("stdout %q", out.String())
			}
		})
	}
}

// TestMaxCPUWithoutStats: where BPF statistics cannot be switched on
// (imitated), --max-cpu refuses to start, in one line, exit 1, rather
// than guard nothing.
func TestMaxCPUWithoutStats(t *testing.T) {
	t.Setenv("PROBEBOX_DISABLE", "bpf_stats")
	var out, errb strings.Builder
	st := Applet.Exec(context.Background(), []string{"--max-cpu", "5", "--collectors", "oomkill", "--listen", "127.0.0.1:0"},
		applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
	msg := errb.String()
	if st != 1 || strings.Count(msg, "\n") != 1 || !strings.Contains(msg, "--max-cpu 5: BPF run-time statistics unavailable") || !strings.Contains(msg, "cannot be enforced") {
		t.Errorf("status %d, stderr %q: want 1 and one line saying the limit cannot be enforced", st, msg)
	}
	if out.Len() > 0 {
		t.Errorf("stdout %q: served", out.String())
	}
}

func TestDefaultListenIsEbpfExporters(t *testing.T) {
	var out strings.Builder
	Applet.WriteHelp(&out)
	if !strings.Contains(out.String(), "9435 is cloudflare/ebpf_exporter's port") || !strings.Contains(out.String(), "(default :9435)") {
		t.Errorf("--help does not say where :9435 comes from:\n%s", out.String())
	}
}
