package exporter

import (
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/livetest"
)

// progNames names the BPF programs the exporter holds.
func (c *child) progNames(t *testing.T) []string {
	t.Helper()
	var names []string
	for _, id := range c.progIDs(t) {
		p, err := ebpf.NewProgramFromID(ebpf.ProgramID(id))
		if err != nil {
			continue
		}
		if info, err := p.Info(); err == nil {
			names = append(names, info.Name)
		}
		p.Close()
	}
	return names
}

// syscallFlood makes syscalls from every CPU until stop is called; it
// returns how many it made.
func syscallFlood() (stop func() uint64) {
	var (
		done atomic.Bool
		n    atomic.Uint64
		wg   sync.WaitGroup
	)
	for i := 0; i < runtime.NumCPU(); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var k uint64
			for !done.Load() {
				unix.Getppid()
				// A raw syscall in a tight loop is rarely at a point
				// where Go can preempt it: yield now and then, or the
				// test's own goroutines (reading the exporter's stderr,
				// watching the deadline) wait for seconds on a busy
				// machine (CI saw 22.9 s against a 10 s deadline).
				if k++; k%4096 == 0 {
					runtime.Gosched()
				}
			}
			n.Add(k)
		}()
	}
	return func() uint64 {
		done.Store(true)
		wg.Wait()
		return n.Load()
	}
}

// TestLiveMaxCPU: each collector's BPF cost is exported; under a syscall
// flood, syscount's programs use more than --max-cpu 1 and only that
// collector is detached (its programs freed, up 0, exceeded 1, its cost
// frozen, a line on stderr) while oomkill keeps collecting.
func TestLiveMaxCPU(t *testing.T) {
	s := startScraper(t, "syscount,oomkill", "--max-cpu", "1")
	const prefix = "exporter: syscount: --max-cpu 1: its BPF programs used "
	detachLine := func() string {
		for _, l := range s.exp.lines() {
			if strings.HasPrefix(l, prefix) {
				return l
			}
		}
		return ""
	}
	hasSyscount := func(names []string) bool {
		return slices.Contains(names, "raw_sys_exit") || slices.Contains(names, "tp_sys_exit")
	}
	samples := s.scrape(t)
	names := s.exp.progNames(t)
	line := detachLine()
	if line == "" && !hasSyscount(names) {
		time.Sleep(500 * time.Millisecond) // the line follows the detach
		line = detachLine()
	}
	// Under emulation (the kernel matrix's guests) the machine's own
	// syscalls can cost syscount more than 1% before any flood: then the
	// detach has happened already, and is checked all the same.
	bySel := func(name, coll string) sel { return sel{name, map[string]string{"collector": coll}} }
	early := line != "" || bySel("probebox_collector_max_cpu_exceeded", "syscount").sum(samples) == 1
	if got := (sel{"probebox_bpf_stats_enabled", nil}).sum(samples); got != 1 {
		t.Fatalf("probebox_bpf_stats_enabled %v", got)
	}
	if !early {
		for _, c := range []string{"syscount", "oomkill"} {
			if got := bySel("probebox_collector_max_cpu_exceeded", c).sum(samples); got != 0 || !bySel("probebox_collector_max_cpu_exceeded", c).has(samples) {
				t.Errorf("%s: probebox_collector_max_cpu_exceeded %v before any flood, want 0", c, got)
			}
		}
		if !hasSyscount(names) {
			t.Fatalf("syscount's program not among the exporter's: %q", names)
		}
	}
	// Light load: the syscalls of the test and the machine cost syscount's
	// program runs, counted and timed.
	time.Sleep(300 * time.Millisecond)
	samples = s.scrape(t)
	runs, secs := bySel("probebox_bpf_runs_total", "syscount").sum(samples), bySel("probebox_bpf_run_seconds_total", "syscount").sum(samples)
	// Detached meanwhile: these are its frozen figures already.
	early = early || bySel("probebox_collector_max_cpu_exceeded", "syscount").sum(samples) == 1
	if runs == 0 || secs <= 0 || secs > 10 {
		t.Errorf("syscount's cost: %v runs, %v s", runs, secs)
	}
	if !s.has(t, bySel("probebox_bpf_runs_total", "oomkill")) {
		t.Errorf("no probebox_bpf_runs_total for oomkill")
	}

	begin := time.Now()
	stop := syscallFlood()
	for deadline := time.Now().Add(livetest.Scaled(10 * time.Second)); line == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		line = detachLine()
	}
	took := time.Since(begin)
	made := stop()
	if line == "" {
		t.Fatalf("syscount not detached after %d syscalls in %v; stderr %q", made, took, s.exp.lines())
	}
	if early {
		t.Logf("detached before the flood")
	}
	t.Logf("%s (after %v, %d syscalls)", line, took.Round(time.Millisecond), made)
	if !strings.Contains(line, "over the limit of 1%; detached") {
		t.Errorf("line %q", line)
	}
	samples = s.scrape(t)
	for _, w := range []struct {
		x sel
		v float64
	}{
		{bySel("probebox_collector_up", "syscount"), 0},
		{bySel("probebox_collector_max_cpu_exceeded", "syscount"), 1},
		{bySel("probebox_collector_up", "oomkill"), 1},
		{bySel("probebox_collector_max_cpu_exceeded", "oomkill"), 0},
	} {
		if got := w.x.sum(samples); got != w.v || !s.has(t, w.x) {
			t.Errorf("%s = %v, want %v", w.x, got, w.v)
		}
	}
	if s.has(t, sel{"probebox_syscalls_total", nil}) {
		t.Errorf("a detached syscount still exports probebox_syscalls_total")
	}
	frozen := bySel("probebox_bpf_runs_total", "syscount").sum(samples)
	if frozen < runs || !early && frozen == runs {
		t.Errorf("syscount's runs %v after the flood, %v before", frozen, runs)
	}
	for _, name := range s.exp.progNames(t) {
		if strings.HasSuffix(name, "sys_exit") || strings.HasSuffix(name, "sys_enter") {
			t.Errorf("syscount's program %s still held after the detach", name)
		}
	}
	unix.Getppid()
	if got := bySel("probebox_bpf_runs_total", "syscount").sum(s.scrape(t)); got != frozen {
		t.Errorf("syscount's runs moved after the detach: %v, then %v", frozen, got)
	}
}

// TestLiveNoBPFStats: where BPF statistics cannot be switched on
// (imitated), the exporter serves without the cost metrics, says so once,
// and probebox_bpf_stats_enabled is 0.
func TestLiveNoBPFStats(t *testing.T) {
	exp := startExporter(t, []string{"PROBEBOX_DISABLE=bpf_stats"}, "--collectors", "oomkill")
	s := &scraper{exp: exp, url: "http://" + exp.addr + "/metrics", client: http.DefaultClient}
	samples := s.scrape(t)
	if got := (sel{"probebox_bpf_stats_enabled", nil}).sum(samples); got != 0 || !s.has(t, sel{"probebox_bpf_stats_enabled", nil}) {
		t.Errorf("probebox_bpf_stats_enabled %v, want 0", got)
	}
	if s.has(t, sel{"probebox_bpf_runs_total", nil}) || s.has(t, sel{"probebox_bpf_run_seconds_total", nil}) {
		t.Errorf("cost metrics exported without BPF statistics")
	}
	if up := (sel{"probebox_collector_up", map[string]string{"collector": "oomkill"}}).sum(samples); up != 1 {
		t.Errorf("oomkill up %v", up)
	}
	if l := strings.Join(exp.lines(), "\n"); !strings.Contains(l, "exporter: no probebox_bpf_run_seconds_total or probebox_bpf_runs_total: BPF_ENABLE_STATS refused") {
		t.Errorf("stderr %q does not say why the cost is missing", l)
	}
}
