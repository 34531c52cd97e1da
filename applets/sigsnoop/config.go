package sigsnoop

import (
	"strings"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/signame"
)

type config struct {
	failed, kill, names, json, verbose bool
	pid                                int
	signals                            uint64 // bit sig-1
	cgroup, btf                        string
}

func newConfig(inv *applet.Invocation, killsnoop bool) (*config, error) {
	c := &config{
		failed: inv.Bool("failed"), kill: killsnoop || inv.Bool("kill"), names: inv.Bool("name"),
		json: inv.Bool("json"), verbose: inv.Bool("verbose"),
		pid: inv.Int("pid"), cgroup: inv.String("cgroup"), btf: inv.String("btf"),
	}
	if inv.IsSet("pid") && c.pid <= 0 {
		return nil, applet.Usagef("invalid PID %d for -p", c.pid)
	}
	if inv.IsSet("signal") {
		mask, err := parseSignals(inv.String("signal"))
		if err != nil {
			return nil, err
		}
		c.signals = mask
	}
	return c, nil
}

// parseSignals reads -s: "1,9,15", "USR1,SIGTERM".
func parseSignals(s string) (uint64, error) {
	var mask uint64
	for _, tok := range strings.Split(s, ",") {
		sig, ok := signame.Parse(strings.TrimSpace(tok))
		if !ok || sig < 1 {
			return 0, applet.Usagef("invalid signal %q for -s: want a number 1-%d or a name like USR1", tok, signame.Max)
		}
		mask |= 1 << (sig - 1)
	}
	return mask, nil
}

// consts are the BPF program's filters, rewritten before load.
func (c *config) consts() map[string]any {
	m := map[string]any{"failed_only": c.failed, "filter_signals": c.signals}
	if c.pid > 0 {
		m["filter_pid"] = uint32(c.pid)
	}
	return m
}
