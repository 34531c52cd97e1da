package exporter

import (
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
)

// TestLivePortLabels: with tcp_ports and tcp_addresses, connects and
// accepts are counted per port and address, two values kept (the largest
// first) and the third under "other".
func TestLivePortLabels(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "exporter.yml")
	os.WriteFile(cfg, []byte("tcp_ports: true\ntcp_addresses: true\nmax_label_values: 2\n"), 0o600)
	// Listeners first: their ports are what the test counts.
	var lns []net.Listener
	for i := 0; i < 3; i++ {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		lns = append(lns, ln)
	}
	exp := startExporter(t, nil, "--collectors", "tcpconnect,tcpaccept", "--config", cfg)
	client := &http.Client{Timeout: livetest.Scaled(5 * time.Second)}
	url := "http://" + exp.addr + "/metrics"
	// The first scrape before any connect of the test's, so the test's
	// ports compete among themselves in the next one (other connects on
	// the machine may take places too; the checks allow for that).
	scrapeText(t, client, url)
	counts := []int{6, 4, 2}
	for i, ln := range lns {
		connectTo(t, ln, counts[i])
	}
	samples := parseText(t, scrapeText(t, client, url))
	port := func(i int) string { return strconv.Itoa(lns[i].Addr().(*net.TCPAddr).Port) }
	connects := func(p string) float64 {
		return (sel{"probebox_tcp_connects_total", map[string]string{"family": "ipv4", "remote_port": p, "remote_addr": "127.0.0.1"}}).sum(samples)
	}
	accepts := func(p string) float64 {
		return (sel{"probebox_tcp_accepts_total", map[string]string{"family": "ipv4", "local_port": p}}).sum(samples)
	}
	total := func(name string) float64 { return (sel{name, nil}).sum(samples) }
	otherC := (sel{"probebox_tcp_connects_total", map[string]string{"remote_port": "other", "remote_addr": "other"}}).sum(samples)
	// The largest two have their own series unless the machine's own
	// connects took the places first; the smallest goes to other.
	if got := connects(port(0)); got != 6 && otherC < 6 {
		t.Errorf("connects to %s: %v, want 6 (or in other)", port(0), got)
	}
	if got := connects(port(2)); got != 0 {
		t.Errorf("connects to %s, the third port: its own series (%v), want it under other", port(2), got)
	}
	if otherC < 2 {
		t.Errorf("other: %v, want >= 2", otherC)
	}
	if got := accepts(port(0)); got != 6 && (sel{"probebox_tcp_accepts_total", map[string]string{"local_port": "other"}}).sum(samples) < 6 {
		t.Errorf("accepts on %s: %v, want 6 (or in other)", port(0), got)
	}
	// Nothing is lost to the cap: the totals hold every connect.
	if got := total("probebox_tcp_connects_total"); got < 12 {
		t.Errorf("all connects: %v, want >= 12", got)
	}
	if got := total("probebox_tcp_accepts_total"); got < 12 {
		t.Errorf("all accepts: %v, want >= 12", got)
	}
	// Series stay: a later scrape still has the kept ports.
	connectTo(t, lns[2], 20)
	samples = parseText(t, scrapeText(t, client, url))
	if got := connects(port(2)); got != 0 {
		t.Errorf("a later leader took a place: %v", got)
	}
}

// connectTo connects n times to ln and accepts each connection.
func connectTo(t *testing.T, ln net.Listener, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		s, err := ln.Accept()
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
		s.Close()
	}
}

// TestLiveRunqlatCgroups: with runqlat_cgroups, the run-queue waits of a
// process in a cgroup of the test's are in that cgroup's histogram.
func TestLiveRunqlatCgroups(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "exporter.yml")
	os.WriteFile(cfg, []byte("runqlat_cgroups: true\nmax_label_values: 1000\n"), 0o600)
	exp := startExporter(t, nil, "--collectors", "runqlat", "--config", cfg)
	cg := livetest.Cgroup(t, "runq")
	rel := strings.TrimPrefix(cg, newCgroupNames().root)
	const n = 500
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), pingPongEnv+"="+strconv.Itoa(n))
	livetest.RunInCgroup(t, cmd, cg)
	client := &http.Client{Timeout: livetest.Scaled(5 * time.Second)}
	samples := parseText(t, scrapeText(t, client, "http://"+exp.addr+"/metrics"))
	count := (sel{"probebox_runqueue_latency_seconds_count", map[string]string{"cgroup": rel}}).sum(samples)
	inf := (sel{"probebox_runqueue_latency_seconds_bucket", map[string]string{"cgroup": rel, "le": "+Inf"}}).sum(samples)
	if count < 2*n || count != inf {
		t.Errorf("cgroup %s: count %v, +Inf bucket %v; want >= %d waits (two per round trip)", rel, count, inf, 2*n)
	}
	if sum := (sel{"probebox_runqueue_latency_seconds_sum", map[string]string{"cgroup": rel}}).sum(samples); sum <= 0 {
		t.Errorf("cgroup %s: sum %v", rel, sum)
	}
}
