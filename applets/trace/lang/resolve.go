package lang

import (
	"fmt"
	"strings"

	"github.com/probebox/probebox/core/probes"
)

// unit is one probe's body on one of the targets its attach points
// resolved to: one BPF program.
type unit struct {
	probe  *Probe
	target Target
}

// resolveProbes expands every attach point into the targets it names
// here. Targets marked Missing (a kprobe function this kernel lacks) are
// returned apart: they attach nowhere but still type the maps they
// assign. An attach point with no target at all is a warning, as
// bpftrace skips it; a program with nothing to attach is an error.
func (c *compiler) resolveProbes(prog *Program) (units, missing []unit, err error) {
	var firstMissing *Error
	for _, p := range prog.Probes {
		for _, ap := range p.Points {
			all, err := resolve(ap, c.env, c.opts.PID)
			if err != nil {
				return nil, nil, err
			}
			found, why := 0, ""
			for _, t := range all {
				if t.Missing {
					missing = append(missing, unit{p, t})
					why = t.Why
					continue
				}
				units = append(units, unit{p, t})
				found++
			}
			if found > 0 {
				continue
			}
			msg := why
			if why == "" {
				why = notAttachedWhy(ap.Text)
				msg = ap.Text + ": " + why
			}
			c.warnings = append(c.warnings, fmt.Sprintf("%s:%d:%d: WARNING: %s is not attached: %s", c.opts.File, ap.Pos.Line, ap.Pos.Col, ap.Text, why))
			if firstMissing == nil {
				firstMissing = &Error{Pos: ap.Pos, End: ap.end(), Msg: msg}
			}
		}
	}
	if len(units) == 0 {
		if len(prog.Probes) == 1 && len(prog.Probes[0].Points) == 1 && firstMissing != nil {
			return nil, nil, firstMissing // a program of one attach point: its own reason
		}
		p := prog.Probes[0].Points[0]
		return nil, nil, &Error{Pos: p.Pos, End: p.end(), Msg: "no probes to attach: no attach point of the program exists here"}
	}
	return units, missing, nil
}

func notAttachedWhy(text string) string {
	if probes.HasWildcard(text) {
		return "it matches no function here"
	}
	if k, _, _ := strings.Cut(text, ":"); k == "kprobe" || k == "kretprobe" || k == "k" || k == "kr" {
		return "the kernel has no such function (inlined, removed, or in a module not loaded)"
	}
	return "its binary has no such function"
}
