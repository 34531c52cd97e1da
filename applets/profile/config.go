package profile

import (
	"strconv"
	"time"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/stacks"
	"github.com/probebox/probebox/core/unwind"
)

type config struct {
	pid, tid                  int
	userOnly, kernelOnly      bool
	freq, period              int
	delimiter, annotate, idle bool
	folded, json, verbose     bool
	storage                   int
	cpu                       int // -1: every CPU
	pprof, svg, cgroup, btf   string
	unwind                    string // --unwind: fp, eh_frame or auto
	duration                  time.Duration
}

// Bounds of the flags' values.
const (
	defaultStorage = 16384
	maxStorage     = 1 << 20
	maxFreq        = 10000 // beyond, sampling costs more than it tells
	maxDuration    = 1<<31 - 1
)

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{
		pid: inv.Int("pid"), tid: inv.Int("tid"),
		userOnly: inv.Bool("user-stacks-only"), kernelOnly: inv.Bool("kernel-stacks-only"),
		freq: inv.Int("frequency"), period: inv.Int("count"),
		delimiter: inv.Bool("delimited"), annotate: inv.Bool("annotations"), idle: inv.Bool("include-idle"),
		folded: inv.Bool("folded"), json: inv.Bool("json"), verbose: inv.Bool("verbose"),
		storage: inv.Int("stack-storage-size"), cpu: -1,
		pprof: inv.String("pprof"), svg: inv.String("svg"), cgroup: inv.String("cgroup"), btf: inv.String("btf"),
		unwind: inv.String("unwind"),
	}
	if !unwind.ValidMode(c.unwind) {
		return nil, applet.Usagef("invalid --unwind %q: want fp, eh_frame or auto", c.unwind)
	}
	if inv.IsSet("pid") && c.pid <= 0 {
		return nil, applet.Usagef("invalid PID %d for -p: must be a positive PID", c.pid)
	}
	if inv.IsSet("tid") && c.tid <= 0 {
		return nil, applet.Usagef("invalid TID %d for -L: must be a positive thread ID", c.tid)
	}
	if c.userOnly && c.kernelOnly {
		return nil, applet.Usagef("-U and -K cannot be used together: one leaves out kernel stacks, the other user stacks")
	}
	if inv.IsSet("frequency") && inv.IsSet("count") {
		return nil, applet.Usagef("-F and -c cannot be used together: sample at a frequency or every COUNT nanoseconds of CPU time")
	}
	if c.freq <= 0 || c.freq > maxFreq {
		return nil, applet.Usagef("invalid frequency %d for -F: must be between 1 and %d Hz", c.freq, maxFreq)
	}
	if inv.IsSet("count") && (c.period < 1000 || c.period > maxDuration) {
		return nil, applet.Usagef("invalid count %d for -c: the sample period, in nanoseconds of CPU time, must be between 1000 and %d", c.period, maxDuration)
	}
	if c.storage < 1 || c.storage > maxStorage {
		return nil, applet.Usagef("invalid --stack-storage-size %d: must be between 1 and %d", c.storage, maxStorage)
	}
	if inv.IsSet("cpu") {
		c.cpu = inv.Int("cpu")
		if c.cpu < 0 {
			return nil, applet.Usagef("invalid CPU %d for -C: must be 0 or more", c.cpu)
		}
	}
	if c.json && c.folded {
		return nil, applet.Usagef("--json and -f cannot be used together")
	}
	for flag, path := range map[string]string{"--pprof": c.pprof, "--svg": c.svg} {
		if err := stacks.CheckOutFile(path); err != nil {
			return nil, applet.Usagef("%s %s: %v", flag, path, err)
		}
	}
	if len(inv.Args) > 1 {
		return nil, applet.Usagef("too many arguments: want at most a duration")
	}
	if len(inv.Args) == 1 {
		n, err := strconv.Atoi(inv.Args[0])
		if err != nil || n <= 0 || n > maxDuration {
			return nil, applet.Usagef("invalid duration %q: want a positive number of seconds", inv.Args[0])
		}
		c.duration = time.Duration(n) * time.Second
	}
	return c, nil
}

// consts are the BPF program's settings, rewritten before load.
func (c *config) consts() map[string]any {
	return map[string]any{
		"filter_tgid":   uint32(c.pid),
		"filter_tid":    uint32(c.tid),
		"user_stacks":   !c.kernelOnly,
		"kernel_stacks": !c.userOnly,
		"include_idle":  c.idle,
	}
}

// banner is bcc's first line, e.g. "Sampling at 49 Hertz of all threads
// by user + kernel stack for 10 secs."
func (c *config) banner() string {
	s := "Sampling at " + strconv.Itoa(c.freq) + " Hertz of "
	if c.period > 0 {
		s = "Sampling every " + strconv.Itoa(c.period) + " ns of CPU time of "
	}
	switch {
	case c.pid > 0:
		s += "PID " + strconv.Itoa(c.pid)
	case c.tid > 0:
		s += "TID " + strconv.Itoa(c.tid)
	default:
		s += "all threads"
	}
	switch {
	case c.userOnly:
		s += " by user stack"
	case c.kernelOnly:
		s += " by kernel stack"
	default:
		s += " by user + kernel stack"
	}
	if c.cpu >= 0 {
		s += " on CPU#" + strconv.Itoa(c.cpu)
	}
	if c.duration > 0 {
		return s + " for " + strconv.Itoa(int(c.duration/time.Second)) + " secs.\n"
	}
	return s + "... Hit Ctrl-C to end.\n"
}
