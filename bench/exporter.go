package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"time"
)

// exporter: `probebox exporter` runs the applets' own BPF programs in
// their exporter modes, so under the same workload its BPF time per
// program run should match the applet's (rows beside runqlat's and
// biolatency's); and a scrape of every collector must be cheap.
//
// cloudflare/ebpf_exporter is not measured: it links libbpf through cgo,
// so it cannot be built from the Go module proxy alone, and its README
// publishes no per-event or scrape figures to compare with.
func (b *bench) exporter() {
	if exec.Command(b.cfg.Probebox, "exporter", "--help").Run() != nil {
		b.add(Row{Workload: "exporter", Tool: "exporter", Tracer: "probebox", Status: "absent", Note: "no exporter in this probebox"})
		return
	}
	exp := func(collector string) []string {
		return []string{b.cfg.Probebox, "exporter", "--collectors", collector, "--listen", "127.0.0.1:0"}
	}
	n := strconv.Itoa(b.cfg.Switches)
	b.compare("aggregation: context switches", "exporter runqlat", "pingpong", []string{n},
		[]tracer{{Name: "probebox", Argv: exp("runqlat"), lost: probeboxLost}}, false, nil)
	if dev, cleanup, err := loopDevice(filepath.Join(b.dir, "disk.img"), 64<<20); err == nil {
		b.compare("aggregation: block I/O", "exporter biolatency", "bioread", []string{strconv.Itoa(b.cfg.IOs), dev},
			[]tracer{{Name: "probebox", Argv: exp("biolatency"), lost: probeboxLost}}, false, nil)
		cleanup()
	}
	b.scrapes()
}

var servingRe = regexp.MustCompile(`on http://(\S+)/metrics`)

// scrapes: every collector on, the context-switch workload running,
// sequential scrapes; the median scrape and the RSS afterwards.
func (b *bench) scrapes() {
	const wl = "exporter: scrape"
	fail := func(err error) {
		b.add(Row{Workload: wl, Tool: "exporter", Tracer: "probebox", Status: "failed", Figure: "scrape", Note: err.Error()})
	}
	out := filepath.Join(b.dir, "exporter.out")
	r, err := start(tracer{Name: "probebox", Argv: []string{b.cfg.Probebox, "exporter", "--listen", "127.0.0.1:0"}}, out, filepath.Join(b.dir, "stderr"))
	if err != nil {
		fail(err)
		return
	}
	defer r.stop()
	text, _ := os.ReadFile(out)
	m := servingRe.FindSubmatch(text)
	if m == nil {
		fail(fmt.Errorf("no serving line in %q", text))
		return
	}
	w, err := startWorkload("pingpong", strconv.Itoa(b.cfg.Switches))
	if err != nil {
		fail(err)
		return
	}
	ran := make(chan struct{})
	go func() { w.run(); close(ran) }()
	client := &http.Client{Timeout: 10 * time.Second}
	var times []time.Duration
	for i := 0; i < 200; i++ {
		begin := time.Now()
		resp, err := client.Get("http://" + string(m[1]) + "/metrics")
		if err != nil {
			<-ran
			fail(err)
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		times = append(times, time.Since(begin))
	}
	<-ran
	slices.Sort(times)
	median := times[len(times)/2]
	b.add(Row{Workload: wl, Tool: "exporter (all collectors)", Tracer: "probebox", Status: "ok", Figure: "scrape (median)",
		Value: float64(median) / 1e6, Unit: "ms", Target: "< 20 ms", Met: ptr(median < 20*time.Millisecond),
		Note: fmt.Sprintf("%d sequential scrapes under the ping-pong, %.1f–%.1f ms", len(times), float64(times[0])/1e6, float64(times[len(times)-1])/1e6)})
	rss := rssKB(r.cmd.Process.Pid)
	b.add(Row{Workload: "memory", Tool: "exporter (all collectors)", Tracer: "probebox", Status: "ok", Figure: "RSS after the scrapes",
		Value: float64(rss) / 1024, Unit: "MiB", Target: "< 30 MiB", Met: ptr(rss < 30*1024)})
}
