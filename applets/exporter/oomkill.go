package exporter

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/probebox/probebox/applets/oomkill"
	bpfoom "github.com/probebox/probebox/bpfobj/oomkill"
)

// oomKind counts OOM kills with oomkill's own program in tally mode: one
// key, no labels (a victim's name is process-controlled and unbounded).
var oomKind = kind{
	name:    "oomkill",
	metrics: "probebox_oom_kills_total",
	hooks:   oomkill.Hooks,
	new: func(opt *options) source {
		s := newTally(opt, &tallySource{tool: "oomkill", loadFn: bpfoom.LoadOomkill,
			hooks: fixedHooks(oomkill.Hooks), zeros: onlyKind0}, "", "")
		desc := prometheus.NewDesc("probebox_oom_kills_total",
			"Processes killed by the OOM killer, system-wide or in a memory cgroup (oomkill).", nil, nil)
		s.descs = []*prometheus.Desc{desc}
		s.series = func(uint32) (*prometheus.Desc, []string) { return desc, nil }
		return s
	},
}
