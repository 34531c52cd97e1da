package applet

import (
	"fmt"
	"io"
	"strings"
)

// WriteHelp prints the bcc-style help: usage line, summary, options and examples.
func (a *Applet) WriteHelp(w io.Writer) {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: %s %s\n\n%s\n\nOptions:\n", a.Name, a.Synopsis(), a.Summary)
	rows := [][2]string{{"-h, --help", "show this help message and exit"}}
	for _, f := range a.Flags {
		if !f.Hidden {
			rows = append(rows, [2]string{f.helpName(), f.helpText()})
		}
	}
	writeTable(&b, rows, "  ")
	if len(a.Args) > 0 {
		b.WriteString("\nArguments:\n")
		rows = rows[:0]
		for _, arg := range a.Args {
			rows = append(rows, [2]string{arg.Name, arg.Usage})
		}
		writeTable(&b, rows, "  ")
	}
	if len(a.Examples) > 0 {
		b.WriteString("\nExamples:\n")
		rows = rows[:0]
		for _, e := range a.Examples {
			rows = append(rows, [2]string{e[0], "# " + e[1]})
		}
		writeTable(&b, rows, "    ")
	}
	io.WriteString(w, b.String())
}

// Synopsis is "[-h] [-T] [-u UID] ... [interval] [count]" unless the applet
// wrote its own.
func (a *Applet) Synopsis() string {
	if a.Usage != "" {
		return a.Usage
	}
	parts := []string{"[-h]"}
	for _, f := range a.Flags {
		if f.Hidden {
			continue
		}
		name := "-" + f.Short
		if f.Short == "" {
			name = "--" + f.Long
		}
		if f.Kind != Bool {
			name += " " + f.meta()
		}
		parts = append(parts, "["+name+"]")
	}
	for _, arg := range a.Args {
		parts = append(parts, "["+arg.Name+"]")
	}
	return strings.Join(parts, " ")
}

func (f Flag) meta() string {
	if f.Meta != "" {
		return f.Meta
	}
	return strings.ToUpper(strings.ReplaceAll(f.Key(), "-", "_"))
}

func (f Flag) helpName() string {
	var names []string
	if f.Short != "" {
		names = append(names, "-"+f.Short)
	}
	if f.Long != "" {
		names = append(names, "--"+f.Long)
	}
	s := strings.Join(names, ", ")
	if f.Kind != Bool {
		s += " " + f.meta()
	}
	return s
}

func (f Flag) helpText() string {
	if f.Default != "" && f.Kind != Bool {
		return fmt.Sprintf("%s (default %s)", f.Usage, f.Default)
	}
	return f.Usage
}

// writeTable aligns the second column two spaces past the widest first one.
func writeTable(b *strings.Builder, rows [][2]string, indent string) {
	width := 0
	for _, r := range rows {
		width = max(width, len(r[0]))
	}
	for _, r := range rows {
		fmt.Fprintf(b, "%s%-*s  %s\n", indent, width, r[0], r[1])
	}
}
