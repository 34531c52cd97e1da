package stacks

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/probebox/probebox/core/output"
	"github.com/probebox/probebox/core/syms"
)

// Format says how samples are written.
type Format struct {
	Delimiter bool // -d: "--" between kernel and user frames ("-" when folded)
	Annotate  bool // -a: kernel frames end in "_[k]" when folded
	Frame     syms.FrameFormat
}

// Lines of bcc's text layout for stacks it could not store.
const (
	MissedUser   = "[Missed User Stack]"
	MissedKernel = "[Missed Kernel Stack]"
)

// AppendText writes one sample as bcc's profile and offcputime print it:
// kernel frames innermost first, user frames, the process, the value.
//
//	finish_task_switch
//	schedule
//	--
//	main.sleeper
//	-                sleeper (1234)
//	    5000
func (f Format) AppendText(b *bytes.Buffer, s Sample) {
	if !s.NoKernel {
		if s.KernelMissed {
			b.WriteString("    " + MissedKernel + "\n")
		}
		for _, fr := range s.Kernel {
			b.WriteString("    ")
			b.Write(output.AppendEscaped(nil, []byte(fr.Format(f.Frame))))
			b.WriteByte('\n')
		}
	}
	if !s.NoUser {
		if f.Delimiter && !s.NoKernel {
			b.WriteString("    --\n")
		}
		if s.UserMissed {
			b.WriteString("    " + MissedUser + "\n")
		}
		for _, fr := range s.User {
			b.WriteString("    ")
			b.Write(output.AppendEscaped(nil, []byte(fr.Format(f.Frame))))
			b.WriteByte('\n')
		}
	}
	b.WriteString("    -                ")
	b.Write(output.AppendEscaped(nil, []byte(s.Comm)))
	b.WriteString(" (" + strconv.FormatUint(uint64(s.PID), 10) + ")\n")
	b.WriteString("        " + strconv.FormatUint(s.Value, 10) + "\n\n")
}

// Folded is the sample's frames root first, as flamegraph.pl reads them:
// the process name, user frames outermost first, then kernel frames.
func (f Format) Folded(s Sample) []string {
	out := []string{foldName(s.Comm)}
	if !s.NoUser {
		if s.UserMissed {
			out = append(out, MissedUser)
		}
		for i := len(s.User) - 1; i >= 0; i-- {
			out = append(out, foldName(s.User[i].Format(f.Frame)))
		}
	}
	if !s.NoKernel {
		if f.Delimiter && !s.NoUser {
			out = append(out, "-")
		}
		if s.KernelMissed {
			out = append(out, MissedKernel)
		}
		for i := len(s.Kernel) - 1; i >= 0; i-- {
			name := foldName(s.Kernel[i].Format(f.Frame))
			if f.Annotate {
				name += "_[k]"
			}
			out = append(out, name)
		}
	}
	return out
}

// AppendFolded writes "comm;outer;...;inner value".
func (f Format) AppendFolded(b *bytes.Buffer, s Sample) {
	b.WriteString(strings.Join(f.Folded(s), ";"))
	b.WriteString(" " + strconv.FormatUint(s.Value, 10) + "\n")
}

// foldName keeps one frame one field: ';' separates frames and a line
// break would end the sample, and terminal escapes are made visible.
func foldName(s string) string {
	s = string(output.AppendEscaped(nil, []byte(s)))
	return foldReplacer.Replace(s)
}

var foldReplacer = strings.NewReplacer(";", ":", "\n", " ")

// AppendEventStacks writes one event's stacks under its line, as bcc's
// event tools (capable -K/-U) print them: a frame a line indented eight
// spaces, kernel frames first, innermost first; a stack the map could not
// store as its "[Missed ... Stack]" line. Stacks not collected (NoKernel,
// NoUser) are left out.
func (f Format) AppendEventStacks(b []byte, s Sample) []byte {
	frames := func(b []byte, fs []syms.Frame, missed bool, what string) []byte {
		if missed {
			return append(b, "        "+what+"\n"...)
		}
		for _, fr := range fs {
			b = append(b, "        "...)
			b = output.AppendEscaped(b, []byte(fr.Format(f.Frame)))
			b = append(b, '\n')
		}
		return b
	}
	if !s.NoKernel {
		b = frames(b, s.Kernel, s.KernelMissed, MissedKernel)
	}
	if !s.NoUser {
		b = frames(b, s.User, s.UserMissed, MissedUser)
	}
	return b
}
