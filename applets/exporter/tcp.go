package exporter

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/probebox/probebox/applets/execsnoop"
	"github.com/probebox/probebox/applets/tcpaccept"
	"github.com/probebox/probebox/applets/tcpconnect"
	"github.com/probebox/probebox/applets/tcpretrans"
	bpfexec "github.com/probebox/probebox/bpfobj/execsnoop"
	bpfaccept "github.com/probebox/probebox/bpfobj/tcpaccept"
	bpfconnect "github.com/probebox/probebox/bpfobj/tcpconnect"
	bpfretrans "github.com/probebox/probebox/bpfobj/tcpretrans"
	"github.com/probebox/probebox/core/attach"
)

// newTally fills what the TCP and exec collectors share: the opt-in
// port and address labels, their cap and the tallies map's size.
func newTally(opt *options, s *tallySource, portLbl, addrLbl string) *tallySource {
	s.keys = 16 // kinds times families, with room
	if opt.TCPPorts && portLbl != "" {
		s.portLbl = portLbl
	}
	if opt.TCPAddresses && addrLbl != "" {
		s.addrLbl = addrLbl
	}
	if s.portLbl != "" || s.addrLbl != "" {
		s.keys = opt.MaxKeys
		s.capped = newBoundedLabel(opt.MaxLabelValues)
	}
	return s
}

// fixedHooks returns hooks as they are.
func fixedHooks(h []attach.Hook) func() []attach.Hook { return func() []attach.Hook { return h } }

// TCPRETRANS_RETRANSMIT and TCPRETRANS_TLP (bpfobj/tcpretrans/tcpretrans.h).
var retransTypes = map[uint32]string{1: "retrans", 2: "tlp"}

var retransKind = kind{
	name:    "tcpretrans",
	metrics: "probebox_tcp_retransmits_total (by type: retrans, tlp; family)",
	hooks:   append(append([]attach.Hook(nil), tcpretrans.Hooks...), tcpretrans.TLPHook),
	new: func(opt *options) source {
		s := &tallySource{tool: "tcpretrans", loadFn: bpfretrans.LoadTcpretrans, family: true,
			hooks: func() []attach.Hook {
				// Tail loss probes need fentry or a kprobe; without them
				// retransmits are still counted.
				all := append(append([]attach.Hook(nil), tcpretrans.Hooks...), tcpretrans.TLPHook)
				if _, err := attach.Choose([]attach.Hook{tcpretrans.TLPHook}, attach.Running); err != nil {
					return tcpretrans.Hooks
				}
				return all
			}}
		s = newTally(opt, s, "remote_port", "remote_addr")
		s.zeros = func(p attach.Plan) []uint32 {
			if len(p) > 1 {
				return []uint32{1, 2}
			}
			return []uint32{1}
		}
		desc := prometheus.NewDesc("probebox_tcp_retransmits_total",
			"TCP retransmits (type retrans) and tail loss probes (type tlp, where the kernel can be probed), by address family (tcpretrans).",
			s.labelNames("type"), nil)
		s.descs = []*prometheus.Desc{desc}
		s.series = func(k uint32) (*prometheus.Desc, []string) {
			t, ok := retransTypes[k]
			if !ok {
				return nil, nil
			}
			return desc, []string{t}
		}
		return s
	},
}

var connectKind = kind{
	name:    "tcpconnect",
	metrics: "probebox_tcp_connects_total (by family; remote_port, remote_addr opt-in)",
	hooks:   tcpconnect.Hooks,
	new: func(opt *options) source {
		s := newTally(opt, &tallySource{tool: "tcpconnect", loadFn: bpfconnect.LoadTcpconnect, family: true,
			hooks: fixedHooks(tcpconnect.Hooks), zeros: onlyKind0}, "remote_port", "remote_addr")
		desc := prometheus.NewDesc("probebox_tcp_connects_total",
			"Active TCP connection attempts (connect), by address family (tcpconnect).", s.labelNames(), nil)
		s.descs = []*prometheus.Desc{desc}
		s.series = func(uint32) (*prometheus.Desc, []string) { return desc, nil }
		return s
	},
}

var acceptKind = kind{
	name:    "tcpaccept",
	metrics: "probebox_tcp_accepts_total (by family; local_port, remote_addr opt-in)",
	hooks:   tcpaccept.Hooks,
	new: func(opt *options) source {
		s := newTally(opt, &tallySource{tool: "tcpaccept", loadFn: bpfaccept.LoadTcpaccept, family: true,
			hooks: fixedHooks(tcpaccept.Hooks), zeros: onlyKind0}, "local_port", "remote_addr")
		desc := prometheus.NewDesc("probebox_tcp_accepts_total",
			"Passive TCP connections accepted, by address family (tcpaccept).", s.labelNames(), nil)
		s.descs = []*prometheus.Desc{desc}
		s.series = func(uint32) (*prometheus.Desc, []string) { return desc, nil }
		return s
	},
}

// EXECSNOOP_TALLY_OK and EXECSNOOP_TALLY_FAILED
// (bpfobj/execsnoop/execsnoop.h).
const (
	execOK     = 0
	execFailed = 1
)

var execKind = kind{
	name:    "execsnoop",
	metrics: "probebox_execs_total, probebox_exec_failures_total",
	hooks:   execsnoop.Hooks,
	new: func(opt *options) source {
		s := newTally(opt, &tallySource{tool: "execsnoop", loadFn: bpfexec.LoadExecsnoop,
			hooks: fixedHooks(execsnoop.Hooks), zeros: execZeros}, "", "")
		ok := prometheus.NewDesc("probebox_execs_total",
			"Successful exec() calls (execsnoop).", nil, nil)
		failed := prometheus.NewDesc("probebox_exec_failures_total",
			"Failed exec() calls; only seen through the syscall tracepoints (execsnoop -x).", nil, nil)
		s.descs = []*prometheus.Desc{ok, failed}
		s.series = func(k uint32) (*prometheus.Desc, []string) {
			switch k {
			case execOK:
				return ok, nil
			case execFailed:
				return failed, nil
			}
			return nil, nil
		}
		return s
	},
}

// kinds lists every collector, in the order the index page shows them.
func kinds() []kind {
	return []kind{bioKind, runqKind, retransKind, connectKind, acceptKind, execKind, oomKind, sysKind, hardKind, softKind, cacheKind, lifeKind}
}

func onlyKind0(attach.Plan) []uint32 { return []uint32{0} }

// execZeros: failures are seen only on the syscall tracepoints.
func execZeros(p attach.Plan) []uint32 {
	if len(p) == 1 && len(p[0].Candidate.Attach) > 0 && p[0].Candidate.Attach[0].Kind == attach.Tracepoint {
		return []uint32{execOK, execFailed}
	}
	return []uint32{execOK}
}
