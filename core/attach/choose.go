package attach

import (
	"fmt"
	"io"
	"strings"
)

// Kernel answers what a running (or fake) kernel offers.
type Kernel interface {
	// Supports returns nil when hooks of kind k can be loaded and attached
	// here, else an error saying why not.
	Supports(k Kind) error
	// HasTarget returns nil when a's target exists here.
	HasTarget(a Attachment) error
}

// Resolver is a Kernel that can also say under which name a target
// attaches (a kernel function the compiler renamed). Choose uses it where
// the kernel offers it.
type Resolver interface {
	Resolve(a Attachment) (Attachment, error)
}

// Choice is the decision for one hook.
type Choice struct {
	Hook      string
	Candidate Candidate    // the chosen one, with missing optional attachments removed
	Skipped   []Attachment // optional attachments whose target is missing
	Rejected  []string     // why each better candidate was not taken
}

// Plan is the decision for every hook of a tool.
type Plan []Choice

// Choose picks, for every hook, the first candidate that k accepts. A hook
// with no acceptable candidate is an error listing every reason.
func Choose(hooks []Hook, k Kernel) (Plan, error) {
	plan := make(Plan, 0, len(hooks))
	for _, h := range hooks {
		c, err := chooseOne(h, k)
		if err != nil {
			return nil, err
		}
		plan = append(plan, c)
	}
	return plan, nil
}

func chooseOne(h Hook, k Kernel) (Choice, error) {
	choice := Choice{Hook: h.Name}
	for _, cand := range h.Candidates {
		kept, skipped, err := accept(cand, k)
		if err != nil {
			choice.Rejected = append(choice.Rejected, fmt.Sprintf("%s: %v", cand, err))
			continue
		}
		choice.Candidate = Candidate{Attach: kept, Limits: cand.Limits}
		choice.Skipped = skipped
		return choice, nil
	}
	return choice, fmt.Errorf("no way to hook %s on this kernel: %s", h.Name, strings.Join(choice.Rejected, "; "))
}

func accept(c Candidate, k Kernel) (kept, skipped []Attachment, err error) {
	for _, a := range c.Attach {
		if err := k.Supports(a.Kind); err != nil {
			return nil, nil, err
		}
		resolved, err := target(k, a)
		if err != nil {
			if a.Optional {
				skipped = append(skipped, a)
				continue
			}
			return nil, nil, err
		}
		kept = append(kept, resolved)
	}
	if len(kept) == 0 {
		return nil, nil, fmt.Errorf("none of its targets exist")
	}
	return kept, skipped, nil
}

// Programs lists the program names the plan needs, without duplicates.
func (p Plan) Programs() []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range p {
		for _, a := range c.Candidate.Attach {
			if !seen[a.Program] {
				seen[a.Program] = true
				out = append(out, a.Program)
			}
		}
	}
	return out
}

// Limits returns what the chosen hooks cannot see, one line per hook.
func (p Plan) Limits() []string {
	var out []string
	for _, c := range p {
		if c.Candidate.Limits != "" {
			out = append(out, fmt.Sprintf("%s: %s", c.Hook, c.Candidate.Limits))
		}
	}
	return out
}

// Explain writes, per hook, the choice and why better ones were not taken
// (what -v/--verbose prints).
func (p Plan) Explain(w io.Writer, tool string) {
	for _, c := range p {
		fmt.Fprintf(w, "%s: %s: using %s\n", tool, c.Hook, c.Candidate)
		for _, r := range c.Rejected {
			fmt.Fprintf(w, "%s: %s:   not %s\n", tool, c.Hook, r)
		}
		for _, s := range c.Skipped {
			fmt.Fprintf(w, "%s: %s:   skipped %s: not in this kernel\n", tool, c.Hook, s)
		}
		if c.Candidate.Limits != "" {
			fmt.Fprintf(w, "%s: %s:   limit: %s\n", tool, c.Hook, c.Candidate.Limits)
		}
	}
}

func target(k Kernel, a Attachment) (Attachment, error) {
	if r, ok := k.(Resolver); ok {
		return r.Resolve(a)
	}
	return a, k.HasTarget(a)
}

// Without is k with the given attachments treated as missing, each with
// the error that real attaching met: the loader's way to fall back to the
// next candidate when a hook that probed well still fails to attach.
func Without(k Kernel, failed map[string]error) Kernel {
	return withoutKernel{k, failed}
}

type withoutKernel struct {
	Kernel
	failed map[string]error
}

func (w withoutKernel) HasTarget(a Attachment) error {
	_, err := w.Resolve(a)
	return err
}

func (w withoutKernel) Resolve(a Attachment) (Attachment, error) {
	if err, ok := w.failed[a.String()]; ok {
		return a, fmt.Errorf("attaching failed: %w", err)
	}
	resolved, err := target(w.Kernel, a)
	if err != nil {
		return a, err
	}
	if err, ok := w.failed[resolved.String()]; ok {
		return a, fmt.Errorf("attaching failed: %w", err)
	}
	return resolved, nil
}
