package memleak

import (
	"os"
	"time"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/interval"
	"github.com/probebox/probebox/core/unwind"
)

type config struct {
	pid           uint32
	showAllocs    bool
	olderNs       uint64
	sampleRate    uint64
	top           int
	minSize       uint64
	maxSize       uint64
	object        string
	unwind        string // --unwind: fp, eh_frame or auto (a process's stacks)
	json, verbose bool
	btf           string
	every         time.Duration
	count         int
}

// defaultMinAgeNs is libbpf-tools' default -o: allocations younger than
// 500 ns are left out.
const defaultMinAgeNs = 500

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{
		showAllocs: inv.Bool("show-allocs"), object: inv.String("obj"), unwind: inv.String("unwind"),
		json: inv.Bool("json"), verbose: inv.Bool("verbose"), btf: inv.String("btf"),
		olderNs: defaultMinAgeNs, maxSize: ^uint64(0),
	}
	if !unwind.ValidMode(c.unwind) {
		return nil, applet.Usagef("invalid --unwind %q: want fp, eh_frame or auto", c.unwind)
	}
	if len(inv.Args) > 2 {
		return nil, applet.Usagef("unexpected argument %q", inv.Args[2])
	}
	var err error
	if c.every, c.count, err = interval.Args(inv.Args); err != nil {
		return nil, err
	}
	if c.every == 0 {
		c.every = 5 * time.Second // libbpf-tools' default interval
	}
	if inv.IsSet("pid") {
		p := inv.Int("pid")
		if p <= 0 || p > 1<<22 {
			return nil, applet.Usagef("invalid PID %d", p)
		}
		c.pid = uint32(p)
	} else if c.object != "" {
		return nil, applet.Usagef("-O names a process's allocator object: it needs -p")
	}
	if inv.IsSet("older") {
		ms := inv.Int("older")
		if ms < 0 || ms > 1<<40 {
			return nil, applet.Usagef("invalid age %d ms", ms)
		}
		c.olderNs = uint64(ms) * 1e6
	}
	s := inv.Int("sample-rate")
	if s <= 0 {
		return nil, applet.Usagef("invalid sample rate %d: want 1 or more", s)
	}
	c.sampleRate = uint64(s)
	if c.top = inv.Int("top"); c.top <= 0 {
		return nil, applet.Usagef("invalid top %d: want 1 or more", c.top)
	}
	for _, f := range []struct {
		name string
		to   *uint64
	}{{"min-size", &c.minSize}, {"max-size", &c.maxSize}} {
		if inv.IsSet(f.name) {
			v := inv.Int(f.name)
			if v < 0 {
				return nil, applet.Usagef("invalid %s %d", f.name, v)
			}
			*f.to = uint64(v)
		}
	}
	if c.minSize > c.maxSize {
		return nil, applet.Usagef("min size (-z) can't be greater than max size (-Z)")
	}
	return c, nil
}

// bpfUserStack is BPF_F_USER_STACK.
const bpfUserStack = 1 << 8

func (c *config) consts() map[string]any {
	flags := uint64(0)
	if c.pid > 0 {
		flags = bpfUserStack
	}
	return map[string]any{
		"min_size": c.minSize, "max_size": c.maxSize, "sample_rate": c.sampleRate,
		"targ_pid": c.pid, "stack_flags": flags, "page_size": uint64(os.Getpagesize()),
	}
}
