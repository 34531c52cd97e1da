package exporter

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/encoding/protodelim"

	"github.com/probebox/probebox/core/livetest"
)

// check is one thing the test caused and how much of it the metrics must
// show at least (the rest of the machine only adds to it).
type check struct {
	what string
	s    sel
	want float64
	base float64
}

func hist(name, le string, labels map[string]string) sel {
	l := map[string]string{"le": le}
	for k, v := range labels {
		l[k] = v
	}
	return sel{name + "_bucket", l}
}

// TestLivePrometheus: a real Prometheus scrapes the exporter while the
// test causes block I/O on a loop device, execs, context switches,
// loopback TCP connects and retransmits; what Prometheus stored agrees
// with what the test caused, down to the histogram bucket.
func TestLivePrometheus(t *testing.T) {
	exp := startExporter(t, nil, "-v")
	client := &http.Client{Timeout: livetest.Scaled(5 * time.Second)}
	metricsURL := "http://" + exp.addr + "/metrics"
	var v values = &direct{url: metricsURL, client: client}
	if p := startPrometheus(t, exp.addr); p != nil {
		v = p
	} else {
		t.Logf("no prometheus binary: checking with the test's own scrapes")
	}

	loop := livetest.LoopDevice(t, 8<<20)
	dev := filepath.Base(loop.Path)
	read := map[string]string{"device": dev, "op": "read"}
	write := map[string]string{"device": dev, "op": "write"}
	const reads, writes, execs, connects, pingpongs = 32, 16, 20, 10, 1000
	checks := []*check{
		{what: "4 KiB reads, latency count", s: sel{"probebox_block_io_latency_seconds_count", read}, want: reads},
		{what: "4 KiB reads, size <= 4096", s: hist("probebox_block_io_bytes", "4096", read), want: reads},
		{what: "8 KiB writes, latency count", s: sel{"probebox_block_io_latency_seconds_count", write}, want: writes},
		{what: "8 KiB writes, size <= 8192", s: hist("probebox_block_io_bytes", "8192", write), want: writes},
		{what: "execs", s: sel{"probebox_execs_total", nil}, want: execs},
		{what: "run queue waits", s: sel{"probebox_runqueue_latency_seconds_count", nil}, want: 2 * pingpongs},
		{what: "IPv4 connects", s: sel{"probebox_tcp_connects_total", map[string]string{"family": "ipv4"}}, want: connects},
		{what: "IPv4 accepts", s: sel{"probebox_tcp_accepts_total", map[string]string{"family": "ipv4"}}, want: connects},
	}
	// Nothing may land in the buckets below the sizes the test used.
	zero := []*check{
		{what: "4 KiB reads, size <= 2048", s: hist("probebox_block_io_bytes", "2048", read)},
		{what: "8 KiB writes, size <= 4096", s: hist("probebox_block_io_bytes", "4096", write)},
	}
	for _, c := range append(checks, zero...) {
		c.base = v.get(t, c.s)
	}

	for i := 0; i < reads; i++ {
		loop.ReadDirect(t, int64(i)*4096, 4096)
	}
	for i := 0; i < writes; i++ {
		loop.WriteDirect(t, 1<<20+int64(i)*8192, 8192)
	}
	for i := 0; i < execs; i++ {
		if err := execHelper(t); err != nil {
			t.Fatal(err)
		}
	}
	pingPong(t, pingpongs)
	loopbackConnects(t, "127.0.0.1", connects)
	retrans := retransmits(t)
	if retrans != nil {
		checks = append(checks, retrans)
	}

	v.settle(t)
	deadline := time.Now().Add(15 * time.Second)
	for {
		var missing []string
		for _, c := range checks {
			if got := v.get(t, c.s) - c.base; got < c.want {
				missing = append(missing, fmt.Sprintf("%s: %s grew by %v, want >= %v", c.what, c.s, got, c.want))
			}
		}
		if len(missing) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("through %s:\n%s", v.kind(), strings.Join(missing, "\n"))
		}
		time.Sleep(500 * time.Millisecond)
	}
	for _, c := range zero {
		if got := v.get(t, c.s) - c.base; got != 0 {
			t.Errorf("%s: %s grew by %v, want 0", c.what, c.s, got)
		}
	}
	t.Logf("checked through %s", v.kind())

	text := scrapeText(t, client, metricsURL)
	checkBuckets(t, parseText(t, text), dev)
	checkNative(t, metricsURL, dev, reads)
	checkCaps(t, exp)
	promtoolCheck(t, text)
	checkDetach(t, exp)
}

// pingPong makes two OS threads wake each other n times each through
// pipes: every wakeup is a wait on a run queue.
func pingPong(t *testing.T, n int) {
	ar, aw, _ := os.Pipe()
	br, bw, _ := os.Pipe()
	defer ar.Close()
	defer aw.Close()
	defer br.Close()
	defer bw.Close()
	done := make(chan struct{})
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		b := make([]byte, 1)
		for i := 0; i < n; i++ {
			ar.Read(b)
			bw.Write(b)
		}
		close(done)
	}()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b := make([]byte, 1)
	for i := 0; i < n; i++ {
		aw.Write(b)
		br.Read(b)
	}
	<-done
}

// loopbackConnects connects n times to a listener on addr and accepts
// each connection.
func loopbackConnects(t *testing.T, addr string, n int) {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(addr, "0"))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
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

// retransmits makes a connection retransmit in a network namespace of its
// own (nftables drops the peer's segments) and returns the check of its
// count; nil without ip and nft.
func retransmits(t *testing.T) *check {
	t.Helper()
	for _, p := range []string{"ip", "nft"} {
		if _, err := exec.LookPath(p); err != nil {
			t.Logf("no %s: not causing retransmits", p)
			return nil
		}
	}
	n := livetest.NewNetns(t)
	c := n.Connect(t, "127.0.0.1")
	s := sel{"probebox_tcp_retransmits_total", map[string]string{"family": "ipv4", "type": "retrans"}}
	// The base is read before any segment is dropped. A direct read: the
	// counter has only grown by the others' retransmits since.
	chk := &check{what: "IPv4 retransmits", s: s}
	n.DropInput(t, c.SPort)
	c.KeepSending(t)
	chk.want = float64(c.WaitRetransmits(t, 2, 10*time.Second))
	return chk
}

// checkBuckets: the le bounds are exactly powers of two (seconds, bytes),
// and the +Inf bucket equals the count.
func checkBuckets(t *testing.T, samples []sample, dev string) {
	t.Helper()
	for _, name := range []string{"probebox_block_io_latency_seconds", "probebox_block_io_bytes"} {
		var les []string
		var inf float64
		for _, s := range samples {
			if s.name == name+"_bucket" && s.labels["device"] == dev && s.labels["op"] == "read" {
				les = append(les, s.labels["le"])
				if s.labels["le"] == "+Inf" {
					inf = s.value
				}
			}
		}
		top0 := latencyTop0
		if name == "probebox_block_io_bytes" {
			top0 = bytesTop0
		}
		var want []string
		for i := 0; i < 26; i++ {
			want = append(want, formatLe(math.Ldexp(1, top0+i)))
		}
		want = append(want, "+Inf")
		if !slices.Equal(les, want) {
			t.Errorf("%s le bounds:\n got %q\nwant %q", name, les, want)
		}
		count := sel{name + "_count", map[string]string{"device": dev, "op": "read"}}.sum(samples)
		if count != inf || count == 0 {
			t.Errorf("%s: count %v, +Inf bucket %v", name, count, inf)
		}
	}
}

// formatLe writes a bound as client_golang's text format does.
func formatLe(f float64) string { return fmt.Sprint(f) }

// checkNative: asked for protobuf, the exporter sends native histograms of
// schema 0 with the reads in bucket 12, (2048, 4096] bytes.
func checkNative(t *testing.T, url, dev string, reads int) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Accept", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	for buf.Len() > 0 {
		var mf dto.MetricFamily
		if err := protodelim.UnmarshalFrom(&buf, &mf); err != nil {
			t.Fatal(err)
		}
		if mf.GetName() != "probebox_block_io_bytes" {
			continue
		}
		for _, m := range mf.Metric {
			labels := map[string]string{}
			for _, l := range m.Label {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["device"] != dev || labels["op"] != "read" {
				continue
			}
			h := m.GetHistogram()
			if h.GetSchema() != 0 || len(h.PositiveSpan) == 0 {
				t.Fatalf("not a schema 0 native histogram: %v", h)
			}
			var idx int32 = h.PositiveSpan[0].GetOffset()
			var n int64
			for i, d := range h.PositiveDelta {
				n += d
				if idx+int32(i) == 12 && n >= int64(reads) {
					return
				}
			}
			t.Fatalf("native histogram has no bucket 12 with >= %d: %v", reads, h)
		}
	}
	t.Fatalf("no native probebox_block_io_bytes for %s read", dev)
}

func promtoolCheck(t *testing.T, text string) {
	t.Helper()
	bin, err := exec.LookPath("promtool")
	if err != nil {
		t.Logf("no promtool: not linting")
		return
	}
	cmd := exec.Command(bin, "check", "metrics")
	cmd.Stdin = strings.NewReader(text)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
}

// checkDetach: SIGTERM ends the exporter with status 0 and frees every
// BPF program it held.
func checkDetach(t *testing.T, exp *child) {
	t.Helper()
	ids := exp.progIDs(t)
	if len(ids) == 0 {
		t.Fatal("the exporter holds no BPF programs")
	}
	if st := exp.stop(t); st != 0 {
		t.Errorf("exit status %d after SIGTERM; stderr %q", st, exp.lines())
	}
	for _, id := range ids {
		p, err := ebpf.NewProgramFromID(ebpf.ProgramID(id))
		if err == nil {
			p.Close()
			t.Errorf("BPF program %d still loaded after the exporter exited", id)
		} else if !errors.Is(err, os.ErrNotExist) {
			t.Logf("program %d: %v", id, err)
		}
	}
}

// execHelper execs a helper process once (one successful exec()).
func execHelper(t *testing.T) error {
	return livetest.Helper(t, "pbx-exec", "read", "1", "1").Run()
}

// checkCaps: once attached, the exporter keeps CAP_BPF and CAP_PERFMON
// only (a cgo build cannot, and says so).
func checkCaps(t *testing.T, exp *child) {
	t.Helper()
	if cgoBuild {
		if !strings.Contains(strings.Join(exp.lines(), "\n"), "keeping every capability: this probebox was built with cgo") {
			t.Errorf("a cgo build did not say it keeps its capabilities: %q", exp.lines())
		}
		return
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", exp.cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	const want = "000000c000000000" // bits 38 (CAP_PERFMON) and 39 (CAP_BPF)
	for _, l := range strings.Split(string(b), "\n") {
		for _, f := range []string{"CapPrm:", "CapEff:"} {
			if v, ok := strings.CutPrefix(l, f); ok && strings.TrimSpace(v) != want {
				t.Errorf("%s %s, want %s", f, strings.TrimSpace(v), want)
			}
		}
	}
}
