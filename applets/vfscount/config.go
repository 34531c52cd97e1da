package vfscount

import (
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/vfssys"
)

type config struct {
	json, verbose bool
	pid           uint32
	btf           string
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{json: inv.Bool("json"), verbose: inv.Bool("verbose"), btf: inv.String("btf")}
	if len(inv.Args) > 0 {
		return nil, applet.Usagef("unexpected argument %q", inv.Args[0])
	}
	if inv.IsSet("pid") {
		p := inv.Int("pid")
		if p <= 0 {
			return nil, applet.Usagef("invalid PID %d", p)
		}
		c.pid = uint32(p)
	}
	return c, nil
}

func (c *config) consts() map[string]any {
	return map[string]any{"targ_pid": c.pid, vfssys.TableVar: sysTable()}
}
