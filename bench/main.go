// Command bench measures what tracing costs with probebox and with its
// peers (Debian's libbpf-tools and bpftrace, when installed) in one run,
// and prints one table of absolute figures and ratios (or --json).
//
// Workloads: streaming (an open/close loop traced by opensnoop -p, output
// to /dev/null and to a file), flood honesty (delivered + reported lost =
// produced, ring buffer and perf buffer), a steady flood (a minute of
// opensnoop: RSS flat, Go heap allocations per event), in-kernel
// aggregation (runqlat under a context-switch load; a counting one-liner
// under the open loop), and start-up (time to ready, resident memory and
// its peak, binary size). Workload
// processes are this binary re-executed in a helper mode.
//
// Usage: go run ./bench --probebox ./probebox [--json] [--quick]
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"
)

type config struct {
	Probebox    string
	Count       int // open loop calls (streaming, counting)
	FloodCount  int
	FloodRuns   int
	FloodBuffer int
	Switches    int // ping-pong round trips
	IOs         int // direct reads from a loop device
	Sessions    int // loopback TCP sessions
	StartupRuns int
	Runs        int           // paired untraced/traced runs per cost figure
	RSSAfter    time.Duration // steady state: how long after ready to read RSS
	SteadyFor   time.Duration // the steady flood's length (RSS flatness)
	Peers       bool
	Only        string // comma-separated workloads; empty: all
	JSON        bool
}

type bench struct {
	cfg     config
	dir     string // scratch files, on tmpfs where there is one
	target  string // the file the open loop opens
	rows    []Row
	applets map[string]bool
	log     func(format string, args ...any)
}

func main() {
	helperMain()
	// --quick changes the defaults, so explicit flags still win over it.
	def := defaults()
	if slices.Contains(os.Args[1:], "--quick") || slices.Contains(os.Args[1:], "-quick") {
		def.quick()
	}
	cfg := def
	flag.StringVar(&cfg.Probebox, "probebox", def.Probebox, "the probebox binary to measure")
	flag.IntVar(&cfg.Count, "count", def.Count, "open calls per streaming run")
	flag.IntVar(&cfg.FloodCount, "flood-count", def.FloodCount, "open calls per flood run")
	flag.IntVar(&cfg.FloodRuns, "flood-runs", def.FloodRuns, "flood runs per buffer kind")
	flag.IntVar(&cfg.FloodBuffer, "flood-buffer", def.FloodBuffer, "PROBEBOX_BUFFER_BYTES for the flood")
	flag.IntVar(&cfg.Switches, "switches", def.Switches, "ping-pong round trips per aggregation run")
	flag.IntVar(&cfg.IOs, "ios", def.IOs, "direct reads per block I/O run")
	flag.IntVar(&cfg.Sessions, "sessions", def.Sessions, "loopback TCP sessions per network run")
	flag.IntVar(&cfg.Runs, "runs", def.Runs, "paired untraced/traced runs per cost figure (the median is shown)")
	flag.IntVar(&cfg.StartupRuns, "startup-runs", def.StartupRuns, "runs per tool for the start-up median")
	flag.BoolVar(&cfg.Peers, "peers", def.Peers, "also measure libbpf-tools and bpftrace where installed")
	flag.DurationVar(&cfg.SteadyFor, "steady-for", def.SteadyFor, "length of the steady flood (RSS flatness, allocations per event)")
	flag.StringVar(&cfg.Only, "only", "", "comma-separated workloads to run: streaming,flood,steady,aggregation,catalogue,startup,stacks,bttools,symbolize (the catalogue's symbolizer row alone)")
	flag.BoolVar(&cfg.JSON, "json", false, "print JSON instead of the table")
	flag.Bool("quick", false, "tiny counts: a smoke run of a few seconds")
	table := flag.String("table", "", "print the table of a saved --json report and exit")
	flag.Parse()
	if *table != "" {
		if err := printSaved(*table); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	handleInterrupts()
	rep, err := run(cfg, func(f string, a ...any) { fmt.Fprintf(os.Stderr, "bench: "+f+"\n", a...) })
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	if cfg.JSON {
		writeJSON(os.Stdout, rep)
		return
	}
	rep.Machine.write(os.Stdout)
	fmt.Println()
	writeTable(os.Stdout, rep.Rows)
}

func printSaved(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var rep Report
	if err := json.Unmarshal(b, &rep); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	rep.Machine.write(os.Stdout)
	fmt.Println()
	writeTable(os.Stdout, rep.Rows)
	return nil
}

func defaults() config {
	return config{Probebox: "./probebox", Count: 200_000, FloodCount: 500_000, FloodRuns: 3, FloodBuffer: 16384,
		Switches: 100_000, IOs: 50_000, Sessions: 10_000, StartupRuns: 10, Runs: 3, RSSAfter: time.Second, SteadyFor: time.Minute, Peers: true}
}

func (c *config) quick() {
	c.Count, c.FloodCount, c.FloodRuns, c.FloodBuffer, c.Switches, c.StartupRuns, c.Runs = 5_000, 50_000, 1, 4096, 2_000, 1, 1
	c.IOs, c.Sessions = 1_000, 200
	c.RSSAfter = 200 * time.Millisecond
	c.SteadyFor = 3 * time.Second
}

// run measures every selected workload.
func run(cfg config, log func(string, ...any)) (Report, error) {
	if os.Geteuid() != 0 {
		return Report{}, fmt.Errorf("needs root to load BPF programs")
	}
	abs, err := filepath.Abs(cfg.Probebox)
	if err != nil {
		return Report{}, err
	}
	cfg.Probebox = abs
	base := ""
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		base = "/dev/shm"
	}
	dir, err := os.MkdirTemp(base, "probebox-bench-")
	if err != nil {
		return Report{}, err
	}
	defer atInterrupt(func() { os.RemoveAll(dir) })()
	// Kernel BPF statistics (run time per program) for as long as the
	// bench runs; without them the figures fall back to CPU time.
	if stats, err := ebpf.EnableStats(uint32(unix.BPF_STATS_RUN_TIME)); err == nil {
		defer stats.Close()
	} else {
		log("no kernel BPF statistics: %v", err)
	}
	b := &bench{cfg: cfg, dir: dir, target: filepath.Join(dir, "opened-by-the-loop"), log: log}
	if err := os.WriteFile(b.target, []byte("x"), 0o644); err != nil {
		return Report{}, err
	}
	if err := b.listApplets(); err != nil {
		return Report{}, err
	}
	for _, w := range []struct {
		name string
		run  func()
		part bool // a part of another workload, run alone only when named
	}{{"streaming", b.streaming, false}, {"flood", b.flood, false}, {"steady", b.steady, false}, {"aggregation", b.aggregation, false},
		{"catalogue", b.catalogue, false}, {"startup", b.startup, false}, {"stacks", b.stacks, false}, {"bttools", b.btTools, false},
		{"symbolize", b.symbolize, true}} {
		named := strings.Contains(","+cfg.Only+",", ","+w.name+",")
		if (cfg.Only != "" || w.part) && !named {
			continue
		}
		log("%s...", w.name)
		w.run()
	}
	return Report{Machine: machine(cfg.Probebox), Rows: b.rows}, nil
}

func (b *bench) add(r Row) {
	if r.Status != "ok" {
		b.log("%s %s %s: %s %s", r.Workload, r.Tool, r.Tracer, r.Status, r.Note)
	}
	b.rows = append(b.rows, r)
}

// last is the index of the row added last (an index stays valid as rows
// are appended; a pointer into the slice would not).
func (b *bench) last() int { return len(b.rows) - 1 }

// compareRows sets probebox's row's ratio to its peer's (indices; -1 for
// none) and, with target, that probebox must not cost more.
func (b *bench) compareRows(pbx, peer int, target bool) {
	if pbx < 0 || peer < 0 || b.rows[peer].Value <= 0 {
		return
	}
	p, q := &b.rows[pbx], &b.rows[peer]
	p.VsPeer = p.Value / q.Value
	if target {
		// 5% is within what repeated runs of the same tool differ by.
		p.Target, p.Met = "≤ "+q.Tracer+" (+5%)", ptr(p.Value <= q.Value*1.05)
	}
}

func (b *bench) listApplets() error {
	out, err := exec.Command(b.cfg.Probebox, "--list-names").Output()
	if err != nil {
		return fmt.Errorf("%s --list-names: %w", b.cfg.Probebox, err)
	}
	b.applets = map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		b.applets[strings.TrimSpace(sc.Text())] = true
	}
	return nil
}

func (b *bench) hasApplet(name string) bool { return b.applets[name] }

// peer is the path of a peer tool when installed (and peers are wanted).
func (b *bench) peer(name string) string {
	if !b.cfg.Peers {
		return ""
	}
	for _, dir := range []string{"/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"} {
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p
		}
	}
	return ""
}
