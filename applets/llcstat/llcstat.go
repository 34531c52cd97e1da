package llcstat

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unsafe"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"

	bpfobj "github.com/probebox/probebox/bpfobj/llcstat"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/loader"
)

func init() { applet.Register(Applet) }

// Applet is llcstat's registration.
var Applet = &applet.Applet{
	Name:    "llcstat",
	Needs:   []applet.Need{{Feature: "hardware_events", For: "LLC references and misses (hardware perf events)"}},
	Summary: "Summarize last-level cache references and misses by PID",
	Flags: []applet.Flag{
		{Short: "c", Long: "sample_period", Kind: applet.Int, Meta: "SAMPLE-PERIOD", Usage: "sample one in this many cache events", Default: "100"},
		{Short: "d", Long: "duration", Kind: applet.Int, Meta: "DURATION", Usage: "duration to trace, in seconds", Default: "10"},
		{Short: "t", Long: "tid", Usage: "summarize by thread ID instead of PID"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"llcstat", "sample cache references and misses for 10 seconds"},
		{"llcstat -c 1000 -d 5", "sample one in 1000 events, for 5 seconds"},
		{"llcstat -t", "show each thread separately"},
	},
	Run: run,
}

type config struct {
	period, duration int
	perThread        bool
	json, verbose    bool
	btf              string
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{period: inv.Int("sample_period"), duration: inv.Int("duration"), perThread: inv.Bool("tid"),
		json: inv.Bool("json"), verbose: inv.Bool("verbose"), btf: inv.String("btf")}
	if c.period <= 0 {
		return nil, applet.Usagef("invalid sample period %d for -c: want events > 0", c.period)
	}
	if c.duration <= 0 {
		return nil, applet.Usagef("invalid duration %d for -d: want seconds > 0", c.duration)
	}
	return c, nil
}

// counters are the hardware cache events of every CPU, opened disabled.
type counters struct{ miss, ref []int }

func (c *counters) close() {
	for _, fd := range append(c.miss, c.ref...) {
		unix.Close(fd)
	}
}

// openCounters opens a sampling cache-miss and cache-reference event on
// every online CPU. A machine without hardware counters (a VM without a
// virtual PMU) fails here, before anything is loaded.
func openCounters(period int) (*counters, error) {
	n, err := ebpf.PossibleCPU()
	if err != nil {
		return nil, err
	}
	c := &counters{}
	for cpu := range n {
		for _, ev := range []struct {
			config uint64
			name   string
			fds    *[]int
		}{{unix.PERF_COUNT_HW_CACHE_MISSES, "PERF_COUNT_HW_CACHE_MISSES", &c.miss}, {unix.PERF_COUNT_HW_CACHE_REFERENCES, "PERF_COUNT_HW_CACHE_REFERENCES", &c.ref}} {
			attr := unix.PerfEventAttr{
				Type: unix.PERF_TYPE_HARDWARE, Config: ev.config, Sample: uint64(period),
				Size: uint32(unsafe.Sizeof(unix.PerfEventAttr{})), Bits: unix.PerfBitDisabled,
			}
			fd, err := unix.PerfEventOpen(&attr, -1, cpu, -1, unix.PERF_FLAG_FD_CLOEXEC)
			if errors.Is(err, unix.ENODEV) && cpu > 0 {
				continue // a possible but offline CPU
			}
			if err != nil {
				c.close()
				if errors.Is(err, unix.ENOENT) || errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.ENODEV) {
					return nil, fmt.Errorf("this machine has no hardware cache counters (perf_event_open %s: %v): a VM has them only with a virtual PMU", ev.name, err)
				}
				return nil, fmt.Errorf("perf_event_open %s on CPU %d: %w", ev.name, cpu, err)
			}
			*ev.fds = append(*ev.fds, fd)
		}
	}
	return c, nil
}

func (c *counters) attach(miss, ref *ebpf.Program) error {
	for _, set := range []struct {
		fds  []int
		prog *ebpf.Program
	}{{c.miss, miss}, {c.ref, ref}} {
		for _, fd := range set.fds {
			if err := unix.IoctlSetInt(fd, unix.PERF_EVENT_IOC_SET_BPF, set.prog.FD()); err != nil {
				return fmt.Errorf("attaching to a cache event: %w", err)
			}
			if err := unix.IoctlSetInt(fd, unix.PERF_EVENT_IOC_ENABLE, 0); err != nil {
				return fmt.Errorf("enabling a cache event: %w", err)
			}
		}
	}
	return nil
}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	ctrs, err := openCounters(cfg.period)
	if err != nil {
		return err
	}
	defer ctrs.close()
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: bpfobj.LoadLlcstat, Programs: []string{"on_cache_miss", "on_cache_ref"},
		Consts: map[string]any{"sample_period": uint64(cfg.period), "per_thread": cfg.perThread},
		BTF:    cfg.btf, Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	if err := ctrs.attach(obj.Coll.Programs["on_cache_miss"], obj.Coll.Programs["on_cache_ref"]); err != nil {
		return err
	}
	full, err := obj.MapFull(loader.Bounded{Counter: "map_full", Slot: 0, Map: "stats", What: "samples"})
	if err != nil {
		return err
	}
	if !cfg.json {
		fmt.Fprintf(inv.Stdout, "Running for %d seconds or Hit Ctrl-C to end.\n", cfg.duration)
	}
	if cfg.verbose {
		fmt.Fprintf(inv.Stderr, "%s: hardware events PERF_COUNT_HW_CACHE_REFERENCES and _MISSES, one sample in %d; tracing; hit Ctrl-C to end\n", inv.Name, cfg.period)
	}
	select {
	case <-ctx.Done():
	case <-time.After(time.Duration(cfg.duration) * time.Second):
	}
	rows, err := readRows(obj.Map("stats"))
	if err != nil {
		return err
	}
	dropped, err := full.Take()
	if err != nil {
		return err
	}
	loader.Report(inv.Stderr, inv.Name, dropped)
	_, err = inv.Stdout.Write(format(rows, cfg, dropped))
	return err
}
