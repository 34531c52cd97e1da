package cpufreq

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/cpufreq"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/hist"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/output"
	"github.com/probebox/probebox/core/stacks"
	"github.com/probebox/probebox/core/summary"
)

func init() { applet.Register(Applet) }

// Applet is cpufreq's registration.
var Applet = &applet.Applet{
	Name:    "cpufreq",
	Summary: "Sample CPU frequency system-wide and by process",
	Flags: []applet.Flag{
		{Short: "d", Long: "duration", Kind: applet.Int, Meta: "DURATION", Usage: "duration to trace, in seconds (default: until Ctrl-C)"},
		{Short: "f", Long: "frequency", Kind: applet.Int, Meta: "FREQUENCY", Usage: "sample with a certain frequency, 1-10000 Hz", Default: "99"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"cpufreq", "sample CPU frequency system-wide and by process until Ctrl-C"},
		{"cpufreq -d 10", "sample for 10 seconds"},
		{"cpufreq -f 199", "sample at 199 Hz"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Hooks: frequency changes, best first; the samples come from a cpu-clock
// perf event the tool opens itself.
var Hooks = []attach.Hook{{
	Name: "frequency change",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{{Kind: attach.TPBTF, Target: "cpu_frequency", Program: "btf_cpu_frequency"}}},
		{Attach: []attach.Attachment{{Kind: attach.RawTracepoint, Target: "cpu_frequency", Program: "raw_cpu_frequency"}}},
		{Attach: []attach.Attachment{{Kind: attach.Tracepoint, Group: "power", Target: "cpu_frequency", Program: "tp_cpu_frequency"}}},
	},
}}

const (
	maxSlots = 64  // CPUFREQ_MAX_SLOTS
	stepMHz  = 200 // CPUFREQ_STEP_MHZ
	commLen  = 16
)

// sysfsCPU is where the kernel's cpufreq driver shows each CPU's frequency.
var sysfsCPU = "/sys/devices/system/cpu"

// errNoCpufreq is the one line where the machine has no frequency to
// sample (most VMs: the hypervisor does not expose a cpufreq driver).
var errNoCpufreq = errors.New("this machine exposes no CPU frequency: no " + sysfsCPU + "/cpu*/cpufreq (a VM without a cpufreq driver, or a kernel without CONFIG_CPU_FREQ), so there are no cpu_frequency events to sample")

// currentMHz reads each CPU's frequency from sysfs (kHz there).
func currentMHz(ncpu int) ([]uint32, error) {
	out := make([]uint32, ncpu)
	found := false
	for cpu := range ncpu {
		data, err := os.ReadFile(filepath.Join(sysfsCPU, "cpu"+strconv.Itoa(cpu), "cpufreq", "scaling_cur_freq"))
		if err != nil {
			continue
		}
		khz, err := strconv.ParseUint(strings.TrimSpace(string(data)), 10, 32)
		if err != nil {
			continue
		}
		out[cpu], found = uint32(khz/1000), true
	}
	if !found {
		return nil, errNoCpufreq
	}
	return out, nil
}

type config struct {
	duration, freq int
	json, verbose  bool
	btf            string
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{duration: inv.Int("duration"), freq: inv.Int("frequency"), json: inv.Bool("json"), verbose: inv.Bool("verbose"), btf: inv.String("btf")}
	if inv.IsSet("duration") && c.duration <= 0 {
		return nil, applet.Usagef("invalid duration %d for -d: want seconds > 0", c.duration)
	}
	if c.freq < 1 || c.freq > 10000 {
		return nil, applet.Usagef("invalid frequency %d for -f: must be 1-10000 Hz", c.freq)
	}
	return c, nil
}

// entry is one histogram: the system-wide one (name "") or a process's.
type entry struct {
	name  []byte
	slots []uint64
}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	ncpu, err := ebpf.PossibleCPU()
	if err != nil {
		return err
	}
	mhz, err := currentMHz(ncpu)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Hooks: Hooks, Programs: []string{"sample_freq"}, BTF: cfg.btf, Verbose: inv.VerboseWriter(),
		Spec: func() (*ebpf.CollectionSpec, error) {
			s, err := bpfobj.LoadCpufreq()
			if err == nil {
				s.Maps["freqs"].MaxEntries = uint32(ncpu)
			}
			return s, err
		},
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	for cpu, f := range mhz {
		if err := obj.Map("freqs").Put(uint32(cpu), f); err != nil {
			return fmt.Errorf("seeding CPU frequencies: %w", err)
		}
	}
	sampler, err := stacks.StartSampling(obj.Coll.Programs["sample_freq"], uint64(cfg.freq), 0, nil)
	if err != nil {
		return err
	}
	defer sampler.Close()
	full, err := obj.MapFull(loader.Bounded{Counter: "map_full", Slot: 0, Map: "hists", What: "samples"})
	if err != nil {
		return err
	}
	if cfg.duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(cfg.duration)*time.Second)
		defer cancel()
	}
	return summary.Run(ctx, summary.Options[entry]{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Banner: "Sampling CPU freq system-wide & by process. Ctrl-C to end.\n", JSON: cfg.json, Verbose: cfg.verbose,
		Full:  full,
		Drain: func() ([]entry, error) { return drain(obj.Map("syswide"), obj.Map("hists")) },
		Write: func(w *bytes.Buffer, es []entry, d []loader.Dropped) { write(w, es, d, cfg.json) },
	})
}

func drain(syswide, hists *ebpf.Map) ([]entry, error) {
	var v [maxSlots]uint64
	if err := syswide.Lookup(uint32(0), &v); err != nil {
		return nil, fmt.Errorf("reading the histogram: %w", err)
	}
	out := []entry{{slots: append([]uint64(nil), v[:]...)}}
	var key [commLen]byte
	var procs []entry
	it := hists.Iterate()
	for it.Next(&key, &v) {
		name := key[:]
		if i := bytes.IndexByte(name, 0); i >= 0 {
			name = name[:i]
		}
		procs = append(procs, entry{name: bytes.Clone(name), slots: append([]uint64(nil), v[:]...)})
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("reading per-process histograms: %w", err)
	}
	slices.SortFunc(procs, func(a, b entry) int { return bytes.Compare(a.name, b.name) })
	return append(out, procs...), nil
}

// write prints the system-wide histogram and then one per process, in
// 200 MHz steps, as libbpf-tools does.
func write(w *bytes.Buffer, es []entry, dropped []loader.Dropped, json bool) {
	if json {
		var j output.JSONLine
		j.Reset()
		list := []byte{'['}
		for i, e := range es[1:] {
			if i > 0 {
				list = append(list, ',')
			}
			list = append(list, `{"comm":`...)
			list = output.AppendJSONString(list, e.name)
			list = append(list, `,"hist":`...)
			list = hist.AppendLinearJSON(list, e.slots, 0, stepMHz, "MHz")
			list = append(list, '}')
		}
		j.Raw("syswide", hist.AppendLinearJSON(nil, es[0].slots, 0, stepMHz, "MHz"))
		j.Raw("processes", append(list, ']'))
		j.Raw("not_counted", loader.AppendJSON(nil, dropped))
		w.Write(j.Bytes())
		return
	}
	w.WriteByte('\n')
	hist.PrintLinear(w, es[0].slots, 0, stepMHz, "syswide")
	for _, e := range es[1:] {
		w.WriteByte('\n')
		hist.PrintLinear(w, e.slots, 0, stepMHz, string(output.AppendEscaped(nil, e.name)))
	}
}
