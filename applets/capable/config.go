package capable

import "github.com/probebox/probebox/core/applet"

type config struct {
	extra, json, verbose   bool
	kernelStack, userStack bool // -K, -U
	pid                    int
	unique                 uint32 // 0 off, 1 pid, 2 cgroup (UNIQUE_* in capable.bpf.c)
	cgroup, btf            string
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{
		extra: inv.Bool("extra-fields"), json: inv.Bool("json"), verbose: inv.Bool("verbose"),
		kernelStack: inv.Bool("kernel-stack"), userStack: inv.Bool("user-stack"),
		pid: inv.Int("pid"), cgroup: inv.String("cgroup"), btf: inv.String("btf"),
	}
	if inv.IsSet("pid") && c.pid <= 0 {
		return nil, applet.Usagef("invalid PID %d for -p", c.pid)
	}
	if inv.IsSet("unique") {
		switch inv.String("unique") {
		case "pid":
			c.unique = 1
		case "cgroup":
			c.unique = 2
		default:
			return nil, applet.Usagef("unknown unique type %q for -u: want pid or cgroup", inv.String("unique"))
		}
	}
	return c, nil
}

func (c *config) consts() map[string]any {
	m := map[string]any{"unique": c.unique, "kernel_stacks": c.kernelStack, "user_stacks": c.userStack}
	if c.pid > 0 {
		m["filter_pid"] = uint32(c.pid)
	}
	return m
}
