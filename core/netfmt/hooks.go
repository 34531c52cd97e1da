package netfmt

import "github.com/probebox/probebox/core/attach"

// MaxPorts is PBX_MAX_PORTS in bpfobj/include/tcpsock.bpf.h: the most
// ports a -P/-L/-D list may hold.
const MaxPorts = 64

// SetStateCandidates are the ways to reach sock:inet_sock_set_state, best
// first, for the programs bpfobj/include/tcpstate.bpf.h's
// PBX_SET_STATE_PROGRAMS defines.
func SetStateCandidates(limits string) []attach.Candidate {
	return []attach.Candidate{
		{Attach: []attach.Attachment{{Kind: attach.TPBTF, Target: "inet_sock_set_state", Program: "btf_set_state"}}, Limits: limits},
		{Attach: []attach.Attachment{{Kind: attach.RawTracepoint, Target: "inet_sock_set_state", Program: "raw_set_state"}}, Limits: limits},
		{Attach: []attach.Attachment{{Kind: attach.Tracepoint, Group: "sock", Target: "inet_sock_set_state", Program: "tp_set_state"}}, Limits: limits},
	}
}

// PortConsts sets the constants of a PBX_PORT_FILTER(name) list (or of
// tcpsock.bpf.h's filter_ports) in consts; an empty list sets nothing.
func PortConsts(consts map[string]any, name string, ports []uint16) {
	if len(ports) == 0 {
		return
	}
	var list [MaxPorts]uint16
	copy(list[:], ports)
	consts[name] = list
	consts[name+"_len"] = uint32(len(ports))
}
