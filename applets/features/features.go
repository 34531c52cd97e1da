// Package features is `probebox features`: what this kernel offers for
// tracing, probed (never inferred from the version number), and for every
// applet whether it can run here and with which hooks. It is the first
// command to run on a new server.
package features

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"unsafe"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/features"
	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/cost"
	"github.com/probebox/probebox/core/kbtf"
	"github.com/probebox/probebox/core/output"
	"github.com/probebox/probebox/core/privs"
	"github.com/probebox/probebox/core/tracefs"
)

func init() { applet.Register(Applet) }

// Applet is the features report.
var Applet = &applet.Applet{
	Name:    "features",
	Summary: "Report what this kernel supports for tracing, and which applets can run",
	NoLink:  true,
	Flags:   []applet.Flag{applet.JSONFlag, applet.BTFFlag},
	Examples: []applet.Example{
		{"probebox features", "what works on this server"},
		{"probebox features --json", "the same as one JSON object"},
	},
	Run: run,
}

// Feature is one line of the kernel report.
type Feature struct {
	Name      string `json:"name"`
	Available bool   `json:"available"`
	Detail    string `json:"detail"`
}

// AppletReport says whether an applet can run and how.
type AppletReport struct {
	Name   string       `json:"name"`
	Runs   bool         `json:"runs"`
	Reason string       `json:"reason,omitempty"`
	Hooks  []HookReport `json:"hooks,omitempty"`
}

// HookReport is the choice for one of an applet's hooks.
type HookReport struct {
	Hook     string   `json:"hook"`
	Using    string   `json:"using"`
	Limits   string   `json:"limits,omitempty"`
	Rejected []string `json:"rejected,omitempty"`
}

// Report is the whole answer.
type Report struct {
	Release  string         `json:"kernel_release"`
	Arch     string         `json:"arch"`
	Features []Feature      `json:"features"`
	Applets  []AppletReport `json:"applets"`
}

func run(_ context.Context, inv *applet.Invocation) error {
	r := Report{Release: release(), Arch: runtime.GOARCH}
	r.Features = probeKernel(inv.String("btf"), attach.Running)
	r.Applets = appletReports(applet.All(), attach.Running, r.Features)
	if inv.Bool("json") {
		return writeJSON(inv, &r)
	}
	return writeText(inv, &r)
}

func release() string {
	var u unix.Utsname
	if unix.Uname(&u) != nil {
		return "unknown"
	}
	return unix.ByteSliceToString(u.Release[:])
}

func yesNo(err error, yes string) Feature {
	if err != nil {
		return Feature{Available: false, Detail: oneLine(err)}
	}
	return Feature{Available: true, Detail: yes}
}

// oneLine shortens err to its first line, without the "(requires >= vX)"
// that cilium/ebpf appends: the answer was probed, a version would mislead
// on backporting kernels.
func oneLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	if i := strings.Index(s, " (requires >= "); i >= 0 && strings.HasSuffix(s, ")") {
		s = s[:i]
	}
	return s
}

func probeKernel(btfFlag string, k attach.Kernel) []Feature {
	var fs []Feature
	add := func(name string, f Feature) {
		f.Name = name
		fs = append(fs, f)
	}
	if res, err := kbtf.Default(btfFlag).Resolve(); err != nil {
		add("btf", yesNo(err, ""))
	} else {
		add("btf", Feature{Available: true, Detail: fmt.Sprintf("%s (%s)", res.Path, res.Source)})
	}
	add("ring_buffer", yesNo(features.HaveMapType(ebpf.RingBuf), "BPF ring buffer (events); otherwise perf buffers"))
	add("tp_btf", yesNo(k.Supports(attach.TPBTF), "BTF-typed tracepoints"))
	add("raw_tracepoint", yesNo(k.Supports(attach.RawTracepoint), "raw tracepoints"))
	add("tracepoint", yesNo(k.Supports(attach.Tracepoint), "tracefs tracepoints"))
	add("fentry", yesNo(k.Supports(attach.Fentry), "fentry/fexit on kernel functions"))
	add("kprobes", yesNo(k.Supports(attach.Kprobe), "kprobes/kretprobes"))
	if fs[len(fs)-1].Available {
		add("kprobe_multi", yesNo(features.HaveBPFLinkKprobeMulti(), "attach many kprobes at once"))
	} else {
		add("kprobe_multi", Feature{Detail: "needs kprobes"})
	}
	add("uprobes", yesNo(haveUprobes(), "uprobes/uretprobes"))
	add("perf_events", yesNo(havePerfEvents(), "software perf events (sampling, interval)"))
	add("hardware_events", yesNo(haveHardwareEvents(), "hardware perf counters (cache misses, cycles)"))
	add("tracefs", tracefsFeature())
	add("bpf_stats", statsFeature())
	add("privileges", yesNo(privs.Check(), "may load and attach BPF programs"))
	add("cgroup_v2", cgroupFeature())
	add("lockdown", lockdownFeature())
	return fs
}

// statsFeature says whether --stats can give BPF run time and --max-cpu
// can run: BPF_ENABLE_STATS switched on (and off again) here.
func statsFeature() Feature {
	if ok, why := cost.Available(); !ok {
		return Feature{Detail: why + ": --stats cannot give BPF run time, --max-cpu refuses to run"}
	}
	return Feature{Available: true, Detail: "BPF run-time statistics (--stats run time, --max-cpu)"}
}

func haveUprobes() error {
	if _, err := os.Stat("/sys/bus/event_source/devices/uprobe/type"); err != nil {
		return errors.New("no uprobe perf event source (CONFIG_UPROBE_EVENTS is off)")
	}
	return nil
}

func havePerfEvents() error {
	return perfEventOpen(unix.PERF_TYPE_SOFTWARE, unix.PERF_COUNT_SW_CPU_CLOCK, "")
}

// haveHardwareEvents: a VM has them only with a virtual PMU.
func haveHardwareEvents() error {
	return perfEventOpen(unix.PERF_TYPE_HARDWARE, unix.PERF_COUNT_HW_CACHE_MISSES, "cache misses ")
}

// perfEventOpen opens (disabled) and closes one counter of this process.
func perfEventOpen(typ uint32, config uint64, what string) error {
	attr := unix.PerfEventAttr{Type: typ, Config: config, Size: uint32(unsafe.Sizeof(unix.PerfEventAttr{})), Bits: unix.PerfBitDisabled}
	fd, err := unix.PerfEventOpen(&attr, 0, -1, -1, unix.PERF_FLAG_FD_CLOEXEC)
	if err != nil {
		return fmt.Errorf("perf_event_open %s: %w", strings.TrimSpace(what), err)
	}
	unix.Close(fd)
	return nil
}

func mounts() string {
	b, _ := os.ReadFile("/proc/self/mounts")
	return string(b)
}

func tracefsFeature() Feature {
	if dir, ok := tracefs.ParseMounts(strings.NewReader(mounts())); ok {
		return Feature{Available: true, Detail: "mounted at " + dir}
	}
	if _, err := os.Stat("/sys/kernel/tracing"); err == nil {
		return Feature{Available: true, Detail: "not mounted; probebox mounts it at /sys/kernel/tracing when a tool needs it"}
	}
	return Feature{Detail: "not available (no /sys/kernel/tracing)"}
}

func cgroupFeature() Feature {
	for _, line := range strings.Split(mounts(), "\n") {
		f := strings.Fields(line)
		if len(f) >= 3 && f[2] == "cgroup2" {
			return Feature{Available: true, Detail: "cgroup2 at " + f[1]}
		}
	}
	return Feature{Detail: "no cgroup2 mount: -c/--cgroup filters cannot be used"}
}

func lockdownFeature() Feature {
	b, err := os.ReadFile("/sys/kernel/security/lockdown")
	if err != nil {
		return Feature{Available: true, Detail: "none (no lockdown file)"}
	}
	return parseLockdown(string(b))
}

// parseLockdown reads "none [integrity] confidentiality".
func parseLockdown(text string) Feature {
	mode := text
	if i, j := strings.IndexByte(mode, '['), strings.IndexByte(mode, ']'); i >= 0 && j > i {
		mode = mode[i+1 : j]
	}
	mode = strings.TrimSpace(mode)
	// confidentiality mode forbids reading kernel memory: tracing breaks.
	if mode == "confidentiality" {
		return Feature{Detail: "confidentiality: reading kernel memory is forbidden, tracing will fail"}
	}
	return Feature{Available: true, Detail: mode}
}

// appletReports decides, for each applet with hooks, what it would use;
// for one with Needs, whether those features are here (fs).
func appletReports(all []*applet.Applet, k attach.Kernel, fs []Feature) []AppletReport {
	var out []AppletReport
	for _, a := range all {
		if len(a.Hooks) == 0 {
			if len(a.Needs) > 0 {
				out = append(out, needsReport(a, fs))
			}
			continue
		}
		r := AppletReport{Name: a.Name}
		plan, err := attach.Choose(a.Hooks, k)
		if err != nil {
			r.Reason = oneLine(err)
		} else {
			r.Runs = true
			for _, c := range plan {
				r.Hooks = append(r.Hooks, HookReport{Hook: c.Hook, Using: c.Candidate.String(), Limits: c.Candidate.Limits, Rejected: c.Rejected})
			}
		}
		out = append(out, r)
	}
	return out
}

// needsReport: an applet without fixed hooks runs where the features it
// needs are available (all of them, or one with NeedsAny); each need is
// a line, those missing say why.
func needsReport(a *applet.Applet, fs []Feature) AppletReport {
	byName := map[string]Feature{}
	for _, f := range fs {
		byName[f.Name] = f
	}
	r := AppletReport{Name: a.Name}
	var missing []string
	for _, n := range a.Needs {
		h := HookReport{Hook: n.For, Using: n.Feature}
		if n.Feature == "" {
			h.Using = "no kernel hook"
		} else if f, ok := byName[n.Feature]; !ok || !f.Available {
			why := n.Feature + ": " + f.Detail
			if !ok {
				why = n.Feature + ": not probed"
			}
			h.Using, h.Rejected = "", []string{why}
			missing = append(missing, n.For+" ("+why+")")
		}
		r.Hooks = append(r.Hooks, h)
	}
	r.Runs = len(missing) == 0 || a.NeedsAny && len(missing) < len(a.Needs)
	if !r.Runs {
		r.Reason, r.Hooks = "missing: "+strings.Join(missing, "; "), nil
	}
	return r
}

func writeText(inv *applet.Invocation, r *Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Kernel %s (%s)\n\n", r.Release, r.Arch)
	for _, f := range r.Features {
		ans := "no "
		if f.Available {
			ans = "yes"
		}
		fmt.Fprintf(&b, "  %-16s %s  %s\n", f.Name, ans, f.Detail)
	}
	b.WriteString("\nApplets\n")
	for _, a := range r.Applets {
		if !a.Runs {
			fmt.Fprintf(&b, "  %-16s no   %s\n", a.Name, a.Reason)
			continue
		}
		for i, h := range a.Hooks {
			name, ans := a.Name, "yes"
			if i > 0 {
				name, ans = "", "   "
			}
			line := fmt.Sprintf("%s: %s", h.Hook, h.Using)
			if h.Using == "" {
				line = fmt.Sprintf("%s: not here (%s)", h.Hook, strings.Join(h.Rejected, "; "))
			}
			if h.Limits != "" {
				line += " (" + h.Limits + ")"
			}
			fmt.Fprintf(&b, "  %-16s %s  %s\n", name, ans, line)
		}
	}
	_, err := fmt.Fprint(inv.Stdout, b.String())
	return err
}

func writeJSON(inv *applet.Invocation, r *Report) error {
	var j output.JSONLine
	j.Reset()
	j.Str("kernel_release", []byte(r.Release))
	j.Str("arch", []byte(r.Arch))
	fs := []byte{'['}
	for i, f := range r.Features {
		if i > 0 {
			fs = append(fs, ',')
		}
		var o output.JSONLine
		o.Reset()
		o.Str("name", []byte(f.Name))
		o.Bool("available", f.Available)
		o.Str("detail", []byte(f.Detail))
		fs = append(fs, trimNL(o.Bytes())...)
	}
	j.Raw("features", append(fs, ']'))
	as := []byte{'['}
	for i, a := range r.Applets {
		if i > 0 {
			as = append(as, ',')
		}
		var o output.JSONLine
		o.Reset()
		o.Str("name", []byte(a.Name))
		o.Bool("runs", a.Runs)
		if a.Reason != "" {
			o.Str("reason", []byte(a.Reason))
		}
		hs := []byte{'['}
		for k, h := range a.Hooks {
			if k > 0 {
				hs = append(hs, ',')
			}
			var ho output.JSONLine
			ho.Reset()
			ho.Str("hook", []byte(h.Hook))
			ho.Str("using", []byte(h.Using))
			ho.Str("limits", []byte(h.Limits))
			var rej [][]byte
			for _, x := range h.Rejected {
				rej = append(rej, []byte(x))
			}
			ho.StrList("rejected", rej)
			hs = append(hs, trimNL(ho.Bytes())...)
		}
		o.Raw("hooks", append(hs, ']'))
		as = append(as, trimNL(o.Bytes())...)
	}
	j.Raw("applets", append(as, ']'))
	_, err := inv.Stdout.Write(j.Bytes())
	return err
}

func trimNL(b []byte) []byte { return b[:len(b)-1] }
