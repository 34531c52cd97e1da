// Package exporter is `probebox exporter`: the tools' in-kernel summaries
// as Prometheus metrics. Each collector loads an applet's own BPF program
// (bpfobj/<tool>) through core/loader with the applet's hooks, in the
// program's exporter mode (histograms in powers of two of seconds, or
// counting in the tallies map instead of streaming), and reads the maps
// at scrape time; nothing is streamed per event. See docs/EXPORTER.md.
//
// On the development machine (Linux 6.18, no kprobes or fentry), excerpts:
//
//	# probebox exporter -v --listen 127.0.0.1:19513 --max-cpu 50
//	exporter: biolatency: using block I/O=tp_btf block_rq_insert + tp_btf block_rq_issue + tp_btf block_rq_complete
//	exporter: runqlat: using run queue=tp_btf sched_wakeup + tp_btf sched_wakeup_new + tp_btf sched_switch
//	exporter: tcpretrans: using TCP retransmit=tp_btf tcp_retransmit_skb
//	exporter: tcpconnect: using TCP connect=tp_btf inet_sock_set_state + tracepoint syscalls:sys_exit_connect
//	exporter: tcpaccept: using TCP accept=tracepoint syscalls:sys_exit_accept + tracepoint syscalls:sys_exit_accept4
//	exporter: execsnoop: using exec=tracepoint syscalls:sys_enter_execve + tracepoint syscalls:sys_exit_execve + tracepoint syscalls:sys_enter_execveat + tracepoint syscalls:sys_exit_execveat
//	exporter: oomkill: using OOM kill=tp_btf mark_victim
//	exporter: syscount: using syscalls=raw_tracepoint sys_exit
//	exporter: hardirqs: using hard irq handler=tp_btf irq_handler_entry + tp_btf irq_handler_exit
//	exporter: softirqs: using softirq=tp_btf softirq_entry + tp_btf softirq_exit
//	exporter: cachestat: using page cache=tp_btf mm_filemap_get_pages + tp_btf mm_filemap_fault + tracepoint filemap:mm_filemap_add_to_page_cache + tracepoint block:block_dirty_buffer + tracepoint writeback:writeback_dirty_folio
//	exporter: tcplife: using TCP state change=tp_btf inet_sock_set_state
//	exporter: capabilities now CAP_BPF and CAP_PERFMON only
//	Serving 12 collectors on http://127.0.0.1:19513/metrics
//
//	# curl -s 127.0.0.1:19513/metrics
//	probebox_block_io_latency_seconds_bucket{device="vda",op="read",le="6.103515625e-05"} 0
//	probebox_block_io_latency_seconds_bucket{device="vda",op="read",le="0.0001220703125"} 9
//	probebox_block_io_latency_seconds_bucket{device="vda",op="read",le="0.000244140625"} 65
//	...
//	probebox_block_io_latency_seconds_sum{device="vda",op="read"} 0.025073335
//	probebox_block_io_latency_seconds_count{device="vda",op="read"} 104
//	probebox_bpf_run_seconds_total{collector="runqlat"} 0.028253564
//	probebox_bpf_run_seconds_total{collector="syscount"} 0.017015257
//	probebox_bpf_runs_total{collector="runqlat"} 52256
//	probebox_bpf_runs_total{collector="syscount"} 45980
//	probebox_collector_max_cpu_exceeded{collector="syscount"} 0
//	probebox_collector_up{collector="tcpretrans",hooks="TCP retransmit=tp_btf tcp_retransmit_skb"} 1
//	probebox_execs_total 27
//	probebox_hardirq_duration_seconds_sum{irq="virtio1-req.0"} 0.000859833
//	probebox_hardirq_duration_seconds_count{irq="virtio1-req.0"} 341
//	probebox_oom_kills_total 0
//	probebox_page_cache_accesses_total 1114
//	probebox_page_cache_additions_total 21
//	probebox_runqueue_latency_seconds_bucket{le="3.0517578125e-05"} 7479
//	...
//	probebox_softirq_duration_seconds_count{vector="timer"} 98
//	probebox_syscall_errors_total{errno="ENOENT"} 497
//	probebox_syscalls_total{syscall="read"} 5690
//	probebox_tcp_connects_total{family="ipv4"} 1
//	probebox_tcp_retransmits_total{family="ipv4",type="retrans"} 0
//	probebox_tcp_session_duration_seconds_count{family="ipv4"} 0
package exporter

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/cost"
	"github.com/probebox/probebox/core/kbtf"
)

func init() { applet.Register(Applet) }

// defaultListen is ebpf_exporter's port (9435), the convention scrape
// configs and dashboards for eBPF exporters already use.
const defaultListen = ":9435"

// Applet is the exporter's registration.
var Applet = &applet.Applet{
	Name:    "exporter",
	Summary: "Serve the tools' in-kernel summaries as Prometheus metrics",
	NoLink:  true,
	Flags: []applet.Flag{
		{Long: "listen", Kind: applet.String, Meta: "ADDR", Default: defaultListen,
			Usage: "address to serve /metrics on (9435 is cloudflare/ebpf_exporter's port, the convention for eBPF exporters)"},
		{Long: "collectors", Kind: applet.String, Meta: "LIST",
			Usage: "comma-separated collectors to run, or all (default: the config file's list, else all): " + strings.Join(kindNames(), ", ")},
		{Long: "config", Kind: applet.String, Meta: "FILE", Usage: "YAML file of collector settings (opt-in labels and their caps; see docs/EXPORTER.md)"},
		{Long: "web.config.file", Kind: applet.String, Meta: "FILE", Usage: "exporter-toolkit web config: TLS and basic auth (https://github.com/prometheus/exporter-toolkit/blob/master/docs/web-configuration.md)"},
		{Long: "keep-caps", Usage: "keep every capability after attaching (default: keep only CAP_BPF and CAP_PERFMON)"},
		{Long: "max-cpu", Kind: applet.Int, Meta: "PERCENT", Usage: "detach a collector whose BPF programs use more than PERCENT of one CPU (it then reports probebox_collector_up 0; the others go on)"},
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"probebox exporter", "serve every collector on :9435/metrics"},
		{"probebox exporter --collectors biolatency,runqlat", "block I/O and run queue latency histograms only"},
		{"probebox exporter --listen 127.0.0.1:9435 --web.config.file web.yml", "TLS and basic auth from web.yml"},
		{"probebox exporter --config /etc/probebox/exporter.yml", "collector settings from a file"},
		{"probebox exporter --max-cpu 2", "detach any collector whose BPF programs take more than 2% of one CPU"},
	},
	Run: run,
}

func run(ctx context.Context, inv *applet.Invocation) error {
	opt, err := readConfig(inv.String("config"))
	if err != nil {
		return err
	}
	opt.btf = inv.String("btf")
	names := opt.Collectors
	if inv.IsSet("collectors") {
		names = strings.Split(inv.String("collectors"), ",")
	}
	picked, err := pick(names)
	if err != nil {
		return err
	}
	maxCPU := 0
	if inv.IsSet("max-cpu") {
		limit := 100 * runtime.NumCPU()
		if maxCPU = inv.Int("max-cpu"); maxCPU < 1 || maxCPU > limit {
			return applet.Usagef("invalid value %d for option --max-cpu: want a percentage of one CPU from 1 to %d", maxCPU, limit)
		}
	}
	// BPF run-time statistics, on for the exporter's lifetime only: each
	// collector's cost is exported from them, and --max-cpu judges by them.
	stats, missing := cost.EnableStats()
	if stats != nil {
		defer stats.Close()
	}
	if maxCPU > 0 && missing != "" {
		return fmt.Errorf("--max-cpu %d: %v (%s): the limit cannot be enforced", maxCPU, cost.ErrNoStats, missing)
	}
	srv, err := newServer(inv.String("listen"), inv.String("web.config.file"))
	if err != nil {
		return err
	}
	defer srv.close()

	s := &set{stats: missing == "", maxCPU: maxCPU}
	if missing != "" {
		fmt.Fprintf(inv.Stderr, "exporter: no probebox_bpf_run_seconds_total or probebox_bpf_runs_total: %s\n", missing)
	}
	defer func() {
		// At once: each detach waits out kernel grace periods.
		var wg sync.WaitGroup
		for _, c := range s.collectors {
			wg.Add(1)
			go func() { defer wg.Done(); c.close() }()
		}
		wg.Wait()
	}()
	for _, k := range picked {
		if ctx.Err() != nil {
			// Stopped (SIGTERM, or stdout's reader gone) while loading:
			// loading every collector first can take seconds.
			return nil
		}
		c := start(k, opt)
		s.collectors = append(s.collectors, c)
		if c.err != nil {
			fmt.Fprintf(inv.Stderr, "exporter: %s: not collecting: %s\n", k.name, oneLine(c.err.Error()))
		} else if inv.Bool("verbose") {
			fmt.Fprintf(inv.Stderr, "exporter: %s: using %s\n", k.name, c.hooks)
		}
	}
	// Everything is loaded: the decoded kernel BTF (tens of MiB) is no
	// longer needed.
	kbtf.Release()
	debug.FreeOSMemory()
	if !inv.Bool("keep-caps") {
		if err := dropCaps(); err != nil {
			fmt.Fprintf(inv.Stderr, "exporter: keeping every capability: %v\n", err)
		} else if inv.Bool("verbose") {
			fmt.Fprintf(inv.Stderr, "exporter: capabilities now CAP_BPF and CAP_PERFMON only\n")
		}
	}
	// The one line on stdout says where to scrape (also how tests find a
	// port the kernel chose); an error writing it (a closed pipe) does not
	// stop the serving.
	fmt.Fprintf(inv.Stdout, "Serving %d collectors on http://%s/metrics\n", len(s.collectors), srv.addr())
	if maxCPU > 0 {
		guardCtx, stopGuard := context.WithCancel(ctx)
		defer stopGuard()
		go s.guard(guardCtx, inv.Stderr)
	}
	return srv.serve(ctx, s)
}
