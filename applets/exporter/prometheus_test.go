package exporter

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// values reads series values: from a real Prometheus scraping the
// exporter when the prometheus binary is installed, else (the kernel
// matrix's busybox guests) by scraping the exporter directly.
type values interface {
	// get returns sum(s) as of the latest scrape.
	get(t *testing.T, s sel) float64
	// settle waits until a scrape later than now is visible.
	settle(t *testing.T)
	kind() string
}

type direct struct {
	url    string
	client *http.Client
}

func (d *direct) get(t *testing.T, s sel) float64 {
	return s.sum(parseText(t, scrapeText(t, d.client, d.url)))
}
func (d *direct) settle(*testing.T) {}
func (d *direct) kind() string      { return "the test's own scrapes" }

// prom is a Prometheus server started by the test on 127.0.0.1, scraping
// the exporter every second, with its data in a temporary directory.
type prom struct {
	api    string
	client *http.Client
}

func (p *prom) kind() string { return "Prometheus's /api/v1/query" }

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func startPrometheus(t *testing.T, target string) *prom {
	t.Helper()
	bin, err := exec.LookPath("prometheus")
	if err != nil {
		return nil
	}
	dir := t.TempDir()
	cfg := fmt.Sprintf(`global:
  scrape_interval: 1s
  scrape_timeout: 900ms
scrape_configs:
  - job_name: probebox
    static_configs:
      - targets: [%q]
`, target)
	cfgPath := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	listen := "127.0.0.1:" + strconv.Itoa(freePort(t))
	cmd := exec.Command(bin, "--config.file="+cfgPath, "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+listen, "--log.level=warn")
	log, _ := os.Create(filepath.Join(dir, "log"))
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	p := &prom{api: "http://" + listen + "/api/v1/query", client: &http.Client{Timeout: 5 * time.Second}}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if v, ok := p.query(t, `up{job="probebox"}`); ok && v == 1 {
			if _, ok := p.query(t, "probebox_execs_total"); ok {
				return p
			}
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(filepath.Join(dir, "log"))
			t.Fatalf("Prometheus did not scrape the exporter within 30s; its log: %s", b)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// query runs an instant query and sums the vector it returns; ok is false
// when Prometheus is not answering or the vector is empty.
func (p *prom) query(t *testing.T, q string) (float64, bool) {
	t.Helper()
	resp, err := p.client.Get(p.api + "?query=" + url.QueryEscape(q))
	if err != nil {
		return 0, false
	}
	defer resp.Body.Close()
	var r struct {
		Status string
		Data   struct {
			Result []struct {
				Value [2]any
			}
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || r.Status != "success" {
		return 0, false
	}
	var sum float64
	for _, x := range r.Data.Result {
		s, _ := x.Value[1].(string)
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("query %s: value %v", q, x.Value[1])
		}
		sum += v
	}
	return sum, len(r.Data.Result) > 0
}

func (p *prom) get(t *testing.T, s sel) float64 {
	v, _ := p.query(t, "sum("+s.String()+")")
	return v
}

// settle waits for two scrape intervals, so the latest sample is newer
// than anything the test did before calling it.
func (p *prom) settle(*testing.T) { time.Sleep(2200 * time.Millisecond) }
