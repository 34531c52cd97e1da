// Package manpage writes man pages from the applet registry: probebox(8)
// and one page per applet, with the synopsis, options, examples and the
// kernel hooks the applet uses.
package manpage

import (
	"fmt"
	"io"
	"strings"

	"github.com/probebox/probebox/core/applet"
)

// roff escapes text for a man page line.
func roff(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	s = strings.ReplaceAll(s, "-", `\-`)
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}

func header(b *strings.Builder, name, version, date string) {
	fmt.Fprintf(b, ".TH %s 8 \"%s\" \"probebox %s\" \"probebox manual\"\n", strings.ToUpper(name), date, version)
}

// Applet writes NAME(8) for one applet.
func Applet(w io.Writer, a *applet.Applet, version, date string) error {
	var b strings.Builder
	header(&b, a.Name, version, date)
	fmt.Fprintf(&b, ".SH NAME\n%s \\- %s\n", a.Name, roff(a.Summary))
	fmt.Fprintf(&b, ".SH SYNOPSIS\n.B %s\n%s\n", a.Name, roff(synopsis(a)))
	if !a.NoLink {
		fmt.Fprintf(&b, ".br\n.B probebox %s\n%s\n", a.Name, roff(synopsis(a)))
	}
	fmt.Fprintf(&b, ".SH DESCRIPTION\n%s.\n", roff(a.Summary))
	b.WriteString(".SH OPTIONS\n.TP\n.B \\-h, \\-\\-help\nShow the help text and exit.\n")
	for _, f := range a.Flags {
		if f.Hidden {
			continue
		}
		fmt.Fprintf(&b, ".TP\n.B %s\n%s\n", roff(flagName(f)), roff(f.Usage))
		if f.Default != "" && f.Kind != applet.Bool {
			fmt.Fprintf(&b, "(default %s)\n", roff(f.Default))
		}
	}
	if len(a.Args) > 0 {
		b.WriteString(".SH ARGUMENTS\n")
		for _, arg := range a.Args {
			fmt.Fprintf(&b, ".TP\n.I %s\n%s\n", roff(arg.Name), roff(arg.Usage))
		}
	}
	if len(a.Hooks) > 0 {
		b.WriteString(".SH KERNEL HOOKS\nThe first candidate this kernel offers is used (see \\fBprobebox features\\fR and \\fB\\-v\\fR):\n")
		for _, h := range a.Hooks {
			fmt.Fprintf(&b, ".TP\n.B %s\n", roff(h.Name))
			for i, c := range h.Candidates {
				if i > 0 {
					b.WriteString(".br\n")
				}
				line := fmt.Sprintf("%d. %s", i+1, c)
				if c.Limits != "" {
					line += " (" + c.Limits + ")"
				}
				b.WriteString(roff(line) + "\n")
			}
		}
	}
	if len(a.Examples) > 0 {
		b.WriteString(".SH EXAMPLES\n")
		for _, e := range a.Examples {
			fmt.Fprintf(&b, ".TP\n.B %s\n%s\n", roff(e[0]), roff(e[1]))
		}
	}
	b.WriteString(".SH SEE ALSO\n.BR probebox (8)\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// Probebox writes probebox(8), the overview.
func Probebox(w io.Writer, applets []*applet.Applet, version, date string) error {
	var b strings.Builder
	header(&b, "probebox", version, date)
	b.WriteString(".SH NAME\nprobebox \\- eBPF observability tools in one binary\n")
	b.WriteString(".SH SYNOPSIS\n.B probebox\n.I APPLET\n[\\fIOPTIONS\\fR]\n.br\n.I APPLET\n[\\fIOPTIONS\\fR]\n.br\n.B probebox \\-\\-list | \\-\\-version | \\-\\-install\n[\\fB\\-s\\fR] [\\fB\\-\\-force\\fR] \\fIDIR\\fR\n")
	b.WriteString(".SH DESCRIPTION\nOne statically linked binary carrying the bcc and libbpf\\-tools observability tools. " +
		"Started through a link named after an applet (also with Debian's \\-bpfcc suffix), it runs that applet; " +
		"otherwise the first argument names the applet.\n" +
		"The package installs the links in /usr/libexec/probebox; put that folder first in PATH, or run " +
		"\\fBprobebox \\-\\-install \\-s /usr/local/sbin\\fR.\n")
	b.WriteString(".SH APPLETS\n")
	for _, a := range applets {
		fmt.Fprintf(&b, ".TP\n.BR %s (8)\n%s\n", a.Name, roff(a.Summary))
	}
	b.WriteString(".SH ENVIRONMENT\n.TP\n.B PROBEBOX_BTF\nkernel BTF file, for kernels without /sys/kernel/btf/vmlinux\n" +
		".TP\n.B PROBEBOX_DISABLE\ncomma\\-separated hook kinds (tracepoint, raw_tracepoint, tp_btf, fentry, kprobe, ringbuf) to treat as missing\n" +
		".TP\n.B PROBEBOX_BUFFER_BYTES\nsize of the event buffer\n.TP\n.B NO_COLOR\nno colour even on a terminal\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func flagName(f applet.Flag) string {
	var names []string
	if f.Short != "" {
		names = append(names, "-"+f.Short)
	}
	if f.Long != "" {
		names = append(names, "--"+f.Long)
	}
	s := strings.Join(names, ", ")
	if f.Kind != applet.Bool {
		meta := f.Meta
		if meta == "" {
			meta = strings.ToUpper(f.Key())
		}
		s += " " + meta
	}
	return s
}

func synopsis(a *applet.Applet) string { return a.Synopsis() }
