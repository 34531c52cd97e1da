package blockdev

import "github.com/probebox/probebox/core/attach"

// Attachments lists the block request tracepoints a tool uses together
// (targets such as "block_rq_insert", "block_rq_issue"), each with the
// program called prefix + the name without "block_" ("btf_rq_issue"):
// the naming every block tool's BPF object follows.
func Attachments(kind attach.Kind, prefix string, targets ...string) []attach.Attachment {
	group := ""
	if kind == attach.Tracepoint {
		group = "block"
	}
	out := make([]attach.Attachment, len(targets))
	for i, t := range targets {
		out[i] = attach.Attachment{Kind: kind, Group: group, Target: t, Program: prefix + t[len("block_"):]}
	}
	return out
}

// Candidates are the block tools' hook candidates for targets, best first:
// tp_btf, raw tracepoints, then tracefs tracepoints, which do not show
// the request (tracefsLimits says what that costs the tool).
func Candidates(tracefsLimits string, targets ...string) []attach.Candidate {
	return []attach.Candidate{
		{Attach: Attachments(attach.TPBTF, "btf_", targets...)},
		{Attach: Attachments(attach.RawTracepoint, "raw_", targets...)},
		{Attach: Attachments(attach.Tracepoint, "tp_", targets...), Limits: tracefsLimits},
	}
}
