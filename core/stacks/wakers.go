package stacks

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/output"
	"github.com/probebox/probebox/core/syms"
)

// Wakeup is blocked time joined with who ended it: the waker's stacks
// (wakeuptime, offwaketime) and the blocked target's (offwaketime only:
// Target.NoUser and Target.NoKernel otherwise).
type Wakeup struct {
	Waker, Target Sample // PID, Comm and stacks of each side
	Value         uint64 // microseconds
	NoWaker       bool   // no wakeup was seen (preempted, or woken before tracing)
}

// WakeupOutput writes wakeups as bcc's wakeuptime and offwaketime do.
type WakeupOutput struct {
	Format       Format
	Folded, JSON bool
	// Joined: offwaketime's layout (both sides); else wakeuptime's.
	Joined bool
}

func (w Wakeup) key(f Format) string {
	return fmt.Sprintf("%d\x00%s\x00%d\x00%s\x00%s\x00%s", w.Waker.PID, w.Waker.Comm, w.Target.PID, w.Target.Comm,
		strings.Join(f.Folded(w.Waker), "\x00"), strings.Join(f.Folded(w.Target), "\x00"))
}

// Write merges wakeups that print the same, orders them by value (the
// largest last) and writes them.
func (o WakeupOutput) Write(b *bytes.Buffer, in []Wakeup, dropped []loader.Dropped) {
	// Keys are made once per wakeup: a busy machine has thousands.
	idx := map[string]int{}
	var ws []Wakeup
	var keys []string
	for _, w := range in {
		k := w.key(o.Format)
		if i, ok := idx[k]; ok {
			ws[i].Value += w.Value
			continue
		}
		idx[k] = len(ws)
		ws = append(ws, w)
		keys = append(keys, k)
	}
	order := make([]int, len(ws))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		i, j := order[a], order[b]
		if ws[i].Value != ws[j].Value {
			return ws[i].Value < ws[j].Value
		}
		return keys[i] < keys[j]
	})
	sorted := make([]Wakeup, len(ws))
	for n, i := range order {
		sorted[n] = ws[i]
	}
	ws = sorted
	switch {
	case o.JSON:
		o.json(b, ws, dropped)
	case o.Folded:
		for _, w := range ws {
			b.WriteString(strings.Join(o.folded(w), ";"))
			b.WriteString(" " + strconv.FormatUint(w.Value, 10) + "\n")
		}
	default:
		for _, w := range ws {
			o.text(b, w)
		}
	}
}

// stackFrames are one side's frames, innermost first: kernel, then user,
// with bcc's delimiter and lost-stack lines.
func (o Format) stackFrames(s Sample) []string {
	var out []string
	if !s.NoKernel {
		if s.KernelMissed {
			out = append(out, MissedKernel)
		}
		for _, f := range s.Kernel {
			out = append(out, f.Format(o.Frame))
		}
	}
	if !s.NoUser {
		if o.Delimiter && !s.NoKernel {
			out = append(out, "-")
		}
		if s.UserMissed {
			out = append(out, MissedUser)
		}
		for _, f := range s.User {
			out = append(out, f.Format(o.Frame))
		}
	}
	return out
}

func reversed(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}

func (o WakeupOutput) folded(w Wakeup) []string {
	waker := o.Format.stackFrames(w.Waker)
	if w.NoWaker || w.Waker.Comm == "" {
		w.Waker.Comm = syms.Unknown
	}
	if !o.Joined {
		// wakeuptime: waker;outermost..innermost;target
		out := append([]string{foldName(w.Waker.Comm)}, mapFold(reversed(waker))...)
		return append(out, foldName(w.Target.Comm))
	}
	// offwaketime: target;outermost..innermost;--;innermost..outermost;waker
	out := append([]string{foldName(w.Target.Comm)}, mapFold(reversed(o.Format.stackFrames(w.Target)))...)
	out = append(out, "--")
	out = append(out, mapFold(waker)...)
	return append(out, foldName(w.Waker.Comm))
}

func mapFold(s []string) []string {
	for i := range s {
		s[i] = foldName(s[i])
	}
	return s
}

func line(b *bytes.Buffer, s string) {
	b.WriteString("    ")
	b.Write(output.AppendEscaped(nil, []byte(s)))
	b.WriteByte('\n')
}

func (o WakeupOutput) text(b *bytes.Buffer, w Wakeup) {
	pid := func(s Sample) string {
		if !o.Joined {
			return ""
		}
		return " " + strconv.FormatUint(uint64(s.PID), 10)
	}
	waker := o.Format.stackFrames(w.Waker)
	if !o.Joined {
		// wakeuptime: the target, the waker's stack innermost first, the waker.
		line(b, fmt.Sprintf("%-16s %s", "target:", w.Target.Comm))
		for _, f := range waker {
			line(b, f)
		}
		line(b, fmt.Sprintf("%-16s %s", "waker:", w.Waker.Comm))
	} else {
		// offwaketime: the waker's stack read down to the wakeup, then the
		// target's from where it blocked.
		if w.NoWaker {
			line(b, fmt.Sprintf("%-16s %s", "waker:", "[unknown]"))
		} else {
			line(b, fmt.Sprintf("%-16s %s", "waker:", w.Waker.Comm+pid(w.Waker)))
		}
		for _, f := range reversed(waker) {
			line(b, f)
		}
		line(b, fmt.Sprintf("%-16s %s", "--", "--"))
		for _, f := range o.Format.stackFrames(w.Target) {
			line(b, f)
		}
		line(b, fmt.Sprintf("%-16s %s", "target:", w.Target.Comm+pid(w.Target)))
	}
	b.WriteString("        " + strconv.FormatUint(w.Value, 10) + "\n\n")
}

func (o WakeupOutput) json(b *bytes.Buffer, ws []Wakeup, dropped []loader.Dropped) {
	var j output.JSONLine
	b.WriteString(`{"wakeups":[`)
	for i, w := range ws {
		if i > 0 {
			b.WriteByte(',')
		}
		j.Reset()
		j.Str("target", []byte(w.Target.Comm))
		j.Uint("target_pid", uint64(w.Target.PID))
		if !w.NoWaker {
			j.Str("waker", []byte(w.Waker.Comm))
			j.Uint("waker_pid", uint64(w.Waker.PID))
			side(&j, "waker", w.Waker, o.Format.Frame)
		}
		if o.Joined {
			side(&j, "target", w.Target, o.Format.Frame)
		}
		j.Uint("us", w.Value)
		b.Write(bytes.TrimRight(j.Bytes(), "\n"))
	}
	b.WriteString("]")
	if len(dropped) > 0 {
		b.WriteString(`,"not_counted":`)
		b.Write(loader.AppendJSON(nil, dropped))
	}
	b.WriteString("}\n")
}

func side(j *output.JSONLine, name string, s Sample, ff syms.FrameFormat) {
	if !s.NoKernel {
		j.StrList(name+"_kernel", FrameNames(s.Kernel, ff))
	}
	if !s.NoUser {
		j.StrList(name+"_user", FrameNames(s.User, ff))
	}
}
