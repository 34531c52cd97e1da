package loader

import (
	"errors"
	"fmt"

	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/attach"
)

func (o *Object) attachAll() error {
	for _, choice := range o.Plan {
		for _, a := range choice.Candidate.Attach {
			l, err := o.attachOne(a)
			if err != nil {
				return &attachError{hook: choice.Hook, at: a, err: hint(err)}
			}
			o.links = append(o.links, l)
		}
	}
	return nil
}

// attachError is a chosen hook that failed to attach; Load falls back to
// the hook's next candidate.
type attachError struct {
	hook string
	at   attach.Attachment
	err  error
}

func (e *attachError) Error() string {
	return fmt.Sprintf("attaching %s (%s): %v", e.at, e.hook, e.err)
}

func (e *attachError) Unwrap() error { return e.err }

func (o *Object) attachOne(a attach.Attachment) (link.Link, error) {
	prog := o.Coll.Programs[a.Program]
	if prog == nil {
		return nil, fmt.Errorf("internal: BPF object has no program %q", a.Program)
	}
	switch a.Kind {
	case attach.Tracepoint:
		return link.Tracepoint(a.Group, a.Target, prog, nil)
	case attach.RawTracepoint:
		return link.AttachRawTracepoint(link.RawTracepointOptions{Name: a.Target, Program: prog})
	case attach.TPBTF, attach.Fentry, attach.Fexit:
		return link.AttachTracing(link.TracingOptions{Program: prog})
	case attach.Kprobe:
		return link.Kprobe(a.Target, prog, nil)
	case attach.Kretprobe:
		return link.Kretprobe(a.Target, prog, nil)
	}
	return nil, fmt.Errorf("internal: unknown hook kind %v", a.Kind)
}

func hint(err error) error {
	if errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES) {
		return fmt.Errorf("%w (needs root, or CAP_BPF and CAP_PERFMON)", err)
	}
	return err
}
