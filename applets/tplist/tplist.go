// Package tplist lists kernel tracepoints and USDT probes, as bcc's tplist:
// "category:event" per tracepoint (-v adds the fields), or "BINARY
// provider:probe" per USDT probe of a library (-l) or a process (-p).
package tplist

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/output"
	"github.com/probebox/probebox/core/probes"
	"github.com/probebox/probebox/core/procmaps"
	"github.com/probebox/probebox/core/tracefs"
)

func init() { applet.Register(Applet) }

// Applet is tplist's registration.
var Applet = &applet.Applet{
	Name:     "tplist",
	Needs:    []applet.Need{{Feature: "tracefs", For: "tracepoints (the tracefs events directory)"}, {For: "USDT probes (a binary's ELF notes)"}},
	NeedsAny: true,
	Summary:  "List kernel tracepoints or USDT probes and their arguments",
	Args:     []applet.Arg{{Name: "filter", Usage: "a pattern that the listed probes must match (* and ? wildcards)"}},
	Flags: []applet.Flag{
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "list USDT probes in the binaries and libraries of this process"},
		{Short: "l", Long: "lib", Kind: applet.String, Meta: "LIB", Usage: "list USDT probes in this binary or library"},
		{Short: "v", Long: "verbose", Usage: "also print the arguments of each probe"},
	},
	Examples: []applet.Example{
		{"tplist", "list all kernel tracepoints"},
		{"tplist 'sched:*'", "tracepoints of the sched category"},
		{"tplist -v 'syscalls:sys_enter_open*'", "with their fields"},
		{"tplist -l /usr/lib/x86_64-linux-gnu/libc.so.6", "USDT probes of libc"},
		{"tplist -p 1234", "USDT probes in the files process 1234 has mapped"},
	},
	Run: run,
}

func run(_ context.Context, inv *applet.Invocation) error {
	filter := "*"
	if len(inv.Args) > 0 {
		filter = inv.Args[0]
	}
	w := bufio.NewWriter(inv.Stdout)
	defer w.Flush()
	verbose := inv.Bool("verbose")
	switch {
	case inv.IsSet("pid"):
		files, err := mappedFiles(inv.Int("pid"))
		if err != nil {
			return err
		}
		for _, f := range files {
			listUSDT(w, f, filter, verbose)
		}
		return nil
	case inv.String("lib") != "":
		path, err := probes.ResolveBinary(inv.String("lib"))
		if err == nil {
			_, err = os.Stat(path)
		}
		if err != nil {
			return applet.Usagef("-l: %v", err) // a file the user named is not there
		}
		return listUSDT(w, path, filter, verbose)
	}
	return listTracepoints(w, filter, verbose)
}

func listTracepoints(w io.Writer, filter string, verbose bool) error {
	dir, err := tracefs.Dir()
	if err != nil {
		return err
	}
	l := &probes.Lister{TracefsDir: dir}
	return l.List("tracepoint:"+filter, func(name string) error {
		tp := strings.TrimPrefix(name, "tracepoint:")
		fmt.Fprintln(w, tp)
		if !verbose {
			return nil
		}
		group, event, _ := strings.Cut(tp, ":")
		fields, err := l.TracepointFields(group, event)
		if err != nil {
			return nil // a tracepoint without a readable format still lists
		}
		for _, f := range fields {
			if !f.Common {
				fmt.Fprintf(w, "    %s;\n", f.Decl())
			}
		}
		return nil
	})
}

func listUSDT(w io.Writer, path, filter string, verbose bool) error {
	notes, err := probes.USDTNotes(path)
	if err != nil {
		return err
	}
	sort.SliceStable(notes, func(i, j int) bool {
		return notes[i].Provider+":"+notes[i].Name < notes[j].Provider+":"+notes[j].Name
	})
	var prev string
	for _, n := range notes {
		name := n.Provider + ":" + n.Name
		if !probes.Match(filter, name) {
			continue
		}
		if name != prev {
			fmt.Fprintf(w, "%s %s\n", output.Escape(path), output.Escape(name))
		}
		if verbose {
			fmt.Fprintf(w, "  location 0x%x, arguments: %s\n", n.PC, output.Escape(n.Args))
		}
		prev = name
	}
	return nil
}

// mappedFiles lists the ELF files a process has mapped executable.
func mappedFiles(pid int) ([]string, error) {
	if pid <= 0 {
		return nil, applet.Usagef("invalid PID %d for -p", pid)
	}
	maps, err := procmaps.Read(pid, procmaps.ExecFiles)
	if err != nil {
		return nil, fmt.Errorf("process %d: %w", pid, err)
	}
	seen := map[string]bool{}
	var files []string
	for _, m := range maps {
		if seen[m.Path] {
			continue
		}
		seen[m.Path] = true
		if _, err := os.Stat("/proc/" + strconv.Itoa(pid) + "/root" + m.Path); err == nil {
			files = append(files, m.Path)
		}
	}
	return files, nil
}
