package exporter

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// selfSigned writes a certificate for 127.0.0.1 and its key into dir.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "probebox test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// TestLiveTLSBasicAuth: with a web config of TLS and basic auth, a wrong
// password gets 401, the right one the metrics, plain HTTP nothing.
func TestLiveTLSBasicAuth(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, pool := selfSigned(t, dir)
	hash, err := bcrypt.GenerateFromPassword([]byte("s3cret"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	webConfig := filepath.Join(dir, "web.yml")
	os.WriteFile(webConfig, []byte("tls_server_config:\n  cert_file: "+certFile+"\n  key_file: "+keyFile+
		"\nbasic_auth_users:\n  prometheus: "+string(hash)+"\n"), 0o600)
	exp := startExporter(t, nil, "--collectors", "execsnoop", "--web.config.file", webConfig)

	tlsClient := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	get := func(c *http.Client, url, user, pass string) (int, string) {
		req, _ := http.NewRequest("GET", url, nil)
		if user != "" {
			req.SetBasicAuth(user, pass)
		}
		resp, err := c.Do(req)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	https := "https://" + exp.addr + "/metrics"
	tests := []struct {
		name       string
		client     *http.Client
		url        string
		user, pass string
		status     int
	}{
		{"right password", tlsClient, https, "prometheus", "s3cret", 200},
		{"wrong password", tlsClient, https, "prometheus", "wrong", 401},
		{"no password", tlsClient, https, "", "", 401},
		{"plain HTTP", &http.Client{Timeout: 5 * time.Second}, "http://" + exp.addr + "/metrics", "prometheus", "s3cret", 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, body := get(tc.client, tc.url, tc.user, tc.pass)
			if st != tc.status {
				t.Errorf("status %d, want %d (%.80q)", st, tc.status, body)
			}
			if has := strings.Contains(body, "probebox_execs_total"); has != (tc.status == 200) {
				t.Errorf("metrics in the answer: %v, want %v", has, tc.status == 200)
			}
		})
	}
}

// TestLiveMissingHooks: a collector whose hooks this kernel lacks (here:
// tp_btf and raw tracepoints disabled, runqlat's only ways in) reports
// probebox_collector_up 0 and the exporter serves the others.
func TestLiveMissingHooks(t *testing.T) {
	exp := startExporter(t, []string{"PROBEBOX_DISABLE=tp_btf,raw_tracepoint"}, "--collectors", "runqlat,execsnoop")
	client := &http.Client{Timeout: 5 * time.Second}
	url := "http://" + exp.addr + "/metrics"
	before := sel{"probebox_execs_total", nil}.sum(parseText(t, scrapeText(t, client, url)))
	for i := 0; i < 3; i++ {
		if err := execHelper(t); err != nil {
			t.Fatal(err)
		}
	}
	samples := parseText(t, scrapeText(t, client, url))
	for _, c := range []struct {
		s    sel
		want float64
	}{
		{sel{"probebox_collector_up", map[string]string{"collector": "runqlat"}}, 0},
		{sel{"probebox_collector_up", map[string]string{"collector": "execsnoop"}}, 1},
	} {
		if got := c.s.sum(samples); got != c.want {
			t.Errorf("%s = %v, want %v", c.s, got, c.want)
		}
	}
	if got := (sel{"probebox_execs_total", nil}).sum(samples) - before; got < 3 {
		t.Errorf("execs grew by %v, want >= 3", got)
	}
	if n := (sel{"probebox_runqueue_latency_seconds_count", nil}).sum(samples); n != 0 {
		t.Errorf("runqlat is down but exported a histogram")
	}
	if !strings.Contains(strings.Join(exp.lines(), "\n"), "runqlat: not collecting: ") {
		t.Errorf("no word of runqlat on stderr: %q", exp.lines())
	}
	checkPages(t, client, "http://"+exp.addr)
	if st := exp.stop(t); st != 0 {
		t.Errorf("exit status %d after SIGTERM", st)
	}
}

// checkPages: the index page lists each collector with its hooks or why
// it is not collecting; /-/healthy answers; OpenMetrics is served when
// asked for.
func checkPages(t *testing.T, client *http.Client, base string) {
	t.Helper()
	index := scrapeText(t, client, base+"/")
	for _, want := range []string{"<td>runqlat</td>", "not collecting: ", "<td>execsnoop</td>", "syscalls:sys_enter_execve"} {
		if !strings.Contains(index, want) {
			t.Errorf("the index page lacks %q:\n%s", want, index)
		}
	}
	if h := scrapeText(t, client, base+"/-/healthy"); h != "Healthy.\n" {
		t.Errorf("/-/healthy: %q", h)
	}
	req, _ := http.NewRequest("GET", base+"/metrics", nil)
	req.Header.Set("Accept", "application/openmetrics-text; version=1.0.0")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/openmetrics-text") || !strings.HasSuffix(string(body), "# EOF\n") ||
		!strings.Contains(string(body), "probebox_execs_total ") {
		t.Errorf("OpenMetrics asked for, got %q ending %q", ct, body[max(0, len(body)-40):])
	}
}
