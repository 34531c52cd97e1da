package offcputime

import (
	"strconv"
	"time"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/stacks"
	"github.com/probebox/probebox/core/unwind"
)

type config struct {
	pid, tid                   int
	userThreads, kernelThreads bool
	userOnly, kernelOnly       bool
	unwind                     string // --unwind
	delimiter, folded, json    bool
	verbose                    bool
	minUS, maxUS               uint64
	state                      int64 // -1: any
	storage                    int
	pprof, svg, cgroup, btf    string
	duration                   time.Duration
}

const (
	defaultStorage = 16384
	maxStorage     = 1 << 20
	maxDuration    = 1<<31 - 1
)

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{
		pid: inv.Int("pid"), tid: inv.Int("tid"),
		userThreads: inv.Bool("user-threads-only"), kernelThreads: inv.Bool("kernel-threads-only"),
		userOnly: inv.Bool("user-stacks-only"), kernelOnly: inv.Bool("kernel-stacks-only"), unwind: inv.String("unwind"),
		delimiter: inv.Bool("delimited"), folded: inv.Bool("folded"), json: inv.Bool("json"), verbose: inv.Bool("verbose"),
		minUS: uint64(inv.Int("min-block-time")), maxUS: ^uint64(0), state: -1,
		storage: inv.Int("stack-storage-size"),
		pprof:   inv.String("pprof"), svg: inv.String("svg"), cgroup: inv.String("cgroup"), btf: inv.String("btf"),
	}
	if inv.IsSet("pid") && c.pid <= 0 {
		return nil, applet.Usagef("invalid PID %d for -p: must be a positive PID", c.pid)
	}
	if inv.IsSet("tid") && c.tid <= 0 {
		return nil, applet.Usagef("invalid TID %d for -t: must be a positive thread ID", c.tid)
	}
	if c.pid > 0 && c.tid > 0 {
		return nil, applet.Usagef("-p and -t cannot be used together")
	}
	if c.userThreads && c.kernelThreads {
		return nil, applet.Usagef("-u and -k cannot be used together: user threads only, or kernel threads only")
	}
	if !unwind.ValidMode(c.unwind) {
		return nil, applet.Usagef("invalid --unwind %q: want fp, eh_frame or auto", c.unwind)
	}
	if c.userOnly && c.kernelOnly {
		return nil, applet.Usagef("-U and -K cannot be used together: one leaves out kernel stacks, the other user stacks")
	}
	if inv.IsSet("max-block-time") {
		c.maxUS = uint64(inv.Int("max-block-time"))
	}
	if c.minUS > c.maxUS {
		return nil, applet.Usagef("-m %d is more than -M %d: nothing would be counted", c.minUS, c.maxUS)
	}
	if inv.IsSet("state") {
		c.state = int64(inv.Int("state"))
	}
	if c.storage < 1 || c.storage > maxStorage {
		return nil, applet.Usagef("invalid --stack-storage-size %d: must be between 1 and %d", c.storage, maxStorage)
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

func (c *config) consts() map[string]any {
	return map[string]any{
		"filter_tgid":         uint32(c.pid),
		"filter_tid":          uint32(c.tid),
		"user_threads_only":   c.userThreads,
		"kernel_threads_only": c.kernelThreads,
		"user_stacks":         !c.kernelOnly,
		"kernel_stacks":       !c.userOnly,
		"filter_state":        c.state,
		"min_us":              c.minUS,
		"max_us":              c.maxUS,
	}
}

// textOut: stacks go to stdout unless only files were asked for.
func (c *config) textOut() bool { return c.folded || c.json || (c.pprof == "" && c.svg == "") }

// banner is bcc's first line: "Tracing off-CPU time (us) of all threads
// by user + kernel stack for 5 secs."
func (c *config) banner() string {
	s := "Tracing off-CPU time (us) of "
	switch {
	case c.pid > 0:
		s += "PID " + strconv.Itoa(c.pid)
	case c.tid > 0:
		s += "TID " + strconv.Itoa(c.tid)
	case c.userThreads:
		s += "user threads"
	case c.kernelThreads:
		s += "kernel threads"
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
	if c.duration > 0 {
		return s + " for " + strconv.Itoa(int(c.duration/time.Second)) + " secs.\n"
	}
	return s + "... Hit Ctrl-C to end.\n"
}
