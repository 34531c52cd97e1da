package exporter

import (
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/irqstat"
	"github.com/probebox/probebox/core/livetest"
)

// irqCheck compares, per handler or vector, the runs a collector's
// histograms gained between two scrapes with the kernel's own counts:
// inner (read after the first scrape and before the second: surely seen)
// and outer (read before the first and after the second: at most).
// loFactor allows for runs the kernel folds (hard irqs: an edge
// interrupt arriving while its handler runs is counted, not run again);
// lost is what the collector reported lost meanwhile.
func irqCheck(t *testing.T, metric, label string, a, b []sample, inner, outer map[string]uint64, loFactor, lost float64) {
	t.Helper()
	for name, lo := range inner {
		if lo == 0 {
			continue
		}
		x := sel{metric + "_count", map[string]string{label: name}}
		got := x.sum(b) - x.sum(a)
		if got+2+lost < float64(lo)*loFactor || got > float64(outer[name]) {
			t.Errorf("%s grew by %v; the kernel counted %d..%d", x, got, lo, outer[name])
		}
	}
	// Each histogram: +Inf holds the count, the time is > 0 once it ran,
	// and the label is one the kernel knows.
	for _, smp := range b {
		if smp.name != metric+"_count" || smp.value == 0 {
			continue
		}
		name := smp.labels[label]
		if _, ok := outer[name]; !ok && name != otherLabel {
			t.Errorf("%s=%q is not one the kernel lists", label, name)
		}
		inf := hist(metric, "+Inf", map[string]string{label: name}).sum(b)
		sum := (sel{metric + "_sum", map[string]string{label: name}}).sum(b)
		if inf != smp.value || sum <= 0 || sum > smp.value {
			t.Errorf("%s{%s=%q}: count %v, +Inf %v, sum %v s", metric, label, name, smp.value, inf, sum)
		}
	}
}

// TestLiveHardirqs: while the test writes and fsyncs a file (interrupts
// of the disk's controller, where there is a disk), each handler's
// histogram count agrees with /proc/interrupts.
func TestLiveHardirqs(t *testing.T) {
	s := startScraper(t, "hardirqs")
	lost := sel{"probebox_lost_events_total", map[string]string{"collector": "hardirqs"}}
	procs := func() map[string]uint64 { return livetest.ProcInterrupts(t, irqstat.NameLen) }
	before := procs()
	a := s.scrape(t)
	from := procs()
	diskIO(t, 700*time.Millisecond)
	to := procs()
	b := s.scrape(t)
	after := procs()
	inner, outer := livetest.SubCounts(to, from), livetest.SubCounts(after, before)
	t.Logf("interrupts while attached: %v", inner)
	any := uint64(0)
	for _, n := range inner {
		any += n
	}
	// Half: see hardirqs' own live test (edge interrupts folded into one run).
	irqCheck(t, "probebox_hardirq_duration_seconds", "irq", a, b, inner, outer, 0.5, lost.sum(b)-lost.sum(a))
	if any == 0 {
		t.Log("no numbered interrupt happened while attached (no disk with interrupts here): only the names were checked")
	}
}

// diskIO writes and fsyncs a file next to the test for d.
func diskIO(t *testing.T, d time.Duration) {
	t.Helper()
	dir, _ := os.Getwd()
	f, err := os.CreateTemp(dir, ".exporter-io-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	buf := make([]byte, 4096)
	for end := time.Now().Add(d); time.Now().Before(end); {
		f.WriteAt(buf, 0)
		f.Sync()
	}
}

// TestLiveSoftirqs: a loopback TCP flood runs NET_RX; every vector's
// histogram count agrees with /proc/softirqs, net_rx's by at least 50.
func TestLiveSoftirqs(t *testing.T) {
	s := startScraper(t, "softirqs")
	lost := sel{"probebox_lost_events_total", map[string]string{"collector": "softirqs"}}
	before := livetest.ProcSoftirqs(t, -1)
	a := s.scrape(t)
	from := livetest.ProcSoftirqs(t, -1)
	loopbackFlood(t, 500*time.Millisecond)
	to := livetest.ProcSoftirqs(t, -1)
	b := s.scrape(t)
	after := livetest.ProcSoftirqs(t, -1)
	inner, outer := livetest.SubCounts(to, from), livetest.SubCounts(after, before)
	if inner["net_rx"] < 50 {
		t.Fatalf("the flood raised only %d NET_RX softirqs", inner["net_rx"])
	}
	irqCheck(t, "probebox_softirq_duration_seconds", "vector", a, b, inner, outer, 1, lost.sum(b)-lost.sum(a))
	netrx := sel{"probebox_softirq_duration_seconds_count", map[string]string{"vector": "net_rx"}}
	if got := netrx.sum(b) - netrx.sum(a); got < 50 {
		t.Errorf("%s grew by %v", netrx, got)
	}
	for _, v := range []string{"hi", "timer", "net_tx", "net_rx", "block", "irq_poll", "tasklet", "sched", "hrtimer", "rcu"} {
		if !strings.Contains(scrapeText(t, s.client, s.url), `probebox_softirq_duration_seconds_count{vector="`+v+`"}`) {
			t.Errorf("no histogram for vector %s", v)
		}
	}
}

// loopbackFlood sends small writes over a loopback TCP connection for d:
// every segment is received through the NET_RX softirq.
func loopbackFlood(t *testing.T, d time.Duration) {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		c, err := l.Accept()
		if err == nil {
			io.Copy(io.Discard, c)
			c.Close()
		}
	}()
	c, err := net.Dial("tcp4", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	buf := make([]byte, 1000)
	for end := time.Now().Add(d); time.Now().Before(end); {
		if _, err := c.Write(buf); err != nil {
			t.Fatal(err)
		}
	}
}
