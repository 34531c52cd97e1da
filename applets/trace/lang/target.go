package lang

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/cilium/ebpf/btf"

	"github.com/probebox/probebox/core/probes"
)

// Target is one concrete thing a probe attaches to, after wildcards are
// expanded: "tracepoint:sched:sched_process_exit", "BEGIN", "interval:s:1".
type Target struct {
	Kind  string // BEGIN END interval profile software hardware tracepoint rawtracepoint kprobe kretprobe uprobe uretprobe usdt fentry fexit
	Group string // tracepoint group
	Name  string // tracepoint, raw tracepoint, function or symbol name
	KSym  string // kprobe, kretprobe: the kernel's symbol for Name
	// Missing: the function is not there to attach to. The probe's
	// body still types its maps (another probe may read them), and
	// nothing is attached.
	Missing bool
	Why     string // why Missing, when more is known than the kind says
	Binary  string // uprobe binary
	Every   time.Duration
	Hz      uint64         // profile:hz:N sampling frequency; 0 when Every is used
	Fields  []probes.Field // tracepoint record fields
	Params  []Param        // function parameters (args->NAME), in order
	Text    string         // canonical name, the value of the probe builtin
	// USDT: the site's file offset, its semaphore's (0: none) and where
	// its arguments are.
	USDTOffset    uint64
	USDTSemaphore uint64
	USDTArgs      []USDTArg
	// software: and hardware: probes' perf event, and the program runs
	// every PerfPeriod events.
	PerfType   uint32
	PerfConfig uint64
	PerfPeriod uint64
	// watchpoint: the watched address, its length and the breakpoint
	// type (read 1, write 2, execute 4).
	WatchAddr uint64
	WatchLen  uint64
	WatchType uint32
}

// Env answers questions about the kernel the program will run on.
type Env interface {
	// Expand lists the full probe names matching a wildcard pattern.
	Expand(pattern string) ([]string, error)
	// TracepointFields reads a tracepoint's record layout.
	TracepointFields(group, name string) ([]probes.Field, error)
	// FuncParams gives a kernel function's parameters (fentry args).
	FuncParams(fn string) ([]Param, error)
	// HookAvailable says whether probes of a kind ("kprobe", "fentry")
	// can be attached here; nil when they can.
	HookAvailable(kind string) error
	// Binary finds a uprobe's file: a path, a command in $PATH, or, with
	// pid > 0, a file that process maps ("libc" for its libc.so.6).
	Binary(name string, pid uint32) (string, error)
	// KernelType finds "struct NAME" or "union NAME" in the kernel's BTF.
	KernelType(name string) (btf.Type, error)
	// KernelEnum is the value of an enumerator the kernel's BTF names
	// (SKB_DROP_REASON_NOT_SPECIFIED, TCP_CLOSE), as bpftrace gives it.
	KernelEnum(name string) (int64, bool)
	// KernelAddr is a kernel symbol's address, for kaddr().
	KernelAddr(name string) (uint64, error)
	// HasFunction says whether a uprobe's binary defines the function
	// (its .symtab or .dynsym).
	HasFunction(binary, name string) (bool, error)
	// KernelFunction is the symbol a kprobe on the kernel function name
	// attaches to: name, or the compiler's rename of it (name.isra.0);
	// an error where the kernel has no such function.
	KernelFunction(name string) (string, error)
	// USDTSites lists the USDT probe sites of a binary.
	USDTSites(binary string) ([]USDTSite, error)
	// UserSymbol is a symbol's address and size in a uprobe's binary,
	// for uaddr().
	UserSymbol(binary, name string) (addr, size uint64, err error)
}

// Param is one parameter of a kernel function, typed by its BTF (nil
// when unknown: the value is then a plain integer).
type Param struct {
	Name string
	Type btf.Type
}

func paramNames(ps []Param) []string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return names
}

// fallbacks pairs the function probe kinds that can stand in for each
// other: same function, same arguments, another mechanism.
var fallbacks = map[string]string{"kprobe": "fentry", "kretprobe": "fexit", "fentry": "kprobe", "fexit": "kretprobe"}

// chooseFuncKind picks kind or its stand-in, whichever this kernel has.
func chooseFuncKind(kind string, env Env) (string, error) {
	err := env.HookAvailable(kind)
	if err == nil {
		return kind, nil
	}
	alt := fallbacks[kind]
	altErr := env.HookAvailable(alt)
	if altErr == nil {
		return alt, nil
	}
	return "", fmt.Errorf("%s probes cannot be used here (%v), nor %s in their place (%v)", kind, err, alt, altErr)
}

// timeUnits are interval and profile periods' units.
var timeUnits = map[string]time.Duration{"s": time.Second, "ms": time.Millisecond, "us": time.Microsecond}

// resolve turns one attach point into its targets.
func resolve(ap AttachPoint, env Env, pid uint32) ([]Target, error) {
	text := ap.Text
	errf := func(format string, args ...any) error {
		return &Error{Pos: ap.Pos, End: ap.end(), Msg: fmt.Sprintf(format, args...)}
	}
	switch text {
	case "BEGIN", "END":
		return []Target{{Kind: text, Text: text}}, nil
	}
	kind, rest, _ := strings.Cut(text, ":")
	if k, ok := probes.CanonicalKind(kind); ok {
		kind = k
	} else {
		return nil, errf("unknown probe type %q: probes are BEGIN, END, tracepoint:, rawtracepoint:, kprobe:, kretprobe:, fentry:, fexit:, uprobe:, uretprobe:, usdt:, software:, hardware:, watchpoint:, interval: or profile:", kind)
	}
	if probes.HasWildcard(text) {
		names, err := env.Expand(kind + ":" + rest)
		if err != nil {
			return nil, errf("%v", err)
		}
		if len(names) == 0 {
			switch kind {
			case "kprobe", "kretprobe", "fentry", "fexit", "uprobe", "uretprobe":
				// A function wildcard matching nothing on this kernel
				// (dcsnoop.bt's lookup_fast.constprop.*) is dropped, as
				// bpftrace drops it; compile warns, and fails only when
				// no attach point is left.
				return nil, nil
			}
			return nil, errf("no probes match %s", text)
		}
		var out []Target
		for _, n := range names {
			t, err := resolve(AttachPoint{Pos: ap.Pos, Text: n}, env, pid)
			if err != nil {
				return nil, err
			}
			out = append(out, t...)
		}
		return out, nil
	}
	parts := strings.Split(rest, ":")
	t := Target{Kind: kind, Text: kind + ":" + rest}
	switch kind {
	case "tracepoint":
		if len(parts) != 2 {
			return nil, errf("tracepoint probes are tracepoint:GROUP:NAME")
		}
		t.Group, t.Name = parts[0], parts[1]
		fields, err := env.TracepointFields(t.Group, t.Name)
		if err != nil {
			// One of several attach points (sys_enter_open, which arm64
			// has not, beside sys_enter_openat) is skipped with a
			// warning; alone it is the program's error (resolveProbes).
			t.Missing = true
			t.Why = fmt.Sprintf("tracepoint not found: %s:%s (trace -l 'tracepoint:%s:*' lists that group)", t.Group, t.Name, t.Group)
			return []Target{t}, nil
		}
		t.Fields = fields
	case "rawtracepoint":
		if len(parts) != 1 || parts[0] == "" {
			return nil, errf("%s probes are %s:NAME", kind, kind)
		}
		t.Name = parts[0]
	case "kprobe", "kretprobe", "fentry", "fexit":
		if len(parts) != 1 || parts[0] == "" {
			return nil, errf("%s probes are %s:FUNCTION", kind, kind)
		}
		t.Name = parts[0]
		chosen, err := chooseFuncKind(kind, env)
		if err != nil {
			return nil, errf("%v", err)
		}
		t.Kind = chosen
		if chosen == "kprobe" || chosen == "kretprobe" {
			sym, err := env.KernelFunction(t.Name)
			if err != nil {
				// bpftrace skips an attach point it cannot attach and
				// goes on; compile warns, and fails when none is left.
				t.Missing = true
				return []Target{t}, nil
			}
			t.KSym = sym
		}
		// Parameter names from BTF serve args->NAME on both mechanisms.
		params, err := env.FuncParams(t.Name)
		if err != nil && (chosen == "fentry" || chosen == "fexit") {
			return nil, errf("%v", err)
		}
		t.Params = params
	case "uprobe", "uretprobe":
		if len(parts) != 2 {
			return nil, errf("%s probes are %s:BINARY:FUNCTION", kind, kind)
		}
		bin, err := env.Binary(parts[0], pid)
		if err != nil {
			return nil, errf("%v", err)
		}
		t.Binary, t.Name = bin, parts[1]
		has, err := env.HasFunction(bin, t.Name)
		if err != nil {
			return nil, errf("%v", err)
		}
		if !has {
			// bpftrace drops such an attach point and goes on; so do
			// we, and say so (compile's warning).
			t.Missing = true
			return []Target{t}, nil
		}
	case "usdt":
		return resolveUSDT(t, parts, env, pid, errf)
	case "software", "hardware":
		return resolvePerfEvent(t, parts, errf)
	case "watchpoint":
		return resolveWatchpoint(t, parts, errf)
	case "interval":
		if len(parts) != 2 {
			return nil, errf("interval probes are interval:UNIT:N (s, ms, us or hz)")
		}
		n, err := strconv.ParseInt(parts[1], 10, 64)
		if err != nil || n <= 0 {
			return nil, errf("interval %q: want a positive integer", parts[1])
		}
		unit, ok := timeUnits[parts[0]]
		switch {
		case parts[0] == "hz" && n <= int64(time.Second):
			t.Every = time.Second / time.Duration(n)
		case parts[0] == "hz":
			return nil, errf("interval hz:%d is more than a billion a second", n)
		case !ok:
			return nil, errf("interval unit %q: want s, ms, us or hz", parts[0])
		case n > math.MaxInt64/int64(unit):
			return nil, errf("interval %s:%d is out of range", parts[0], n)
		default:
			t.Every = time.Duration(n) * unit
		}
	case "profile":
		if len(parts) != 2 {
			return nil, errf("profile probes are profile:UNIT:N (hz, s, ms or us)")
		}
		n, err := strconv.ParseUint(parts[1], 10, 64)
		if err != nil || n == 0 {
			return nil, errf("profile %q: want a positive integer", parts[1])
		}
		unit, ok := timeUnits[parts[0]]
		switch {
		case parts[0] == "hz":
			t.Hz = n
		case !ok:
			return nil, errf("profile unit %q: want hz, s, ms or us", parts[0])
		case n > math.MaxInt64/uint64(unit):
			return nil, errf("profile %s:%d is out of range", parts[0], n)
		default:
			t.Every = time.Duration(n) * unit
		}
	default:
		return nil, errf("%s probes are not supported yet", kind)
	}
	return []Target{t}, nil
}
