package multicall

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/privs"
)

// Main runs the binary with argv as given by the OS and returns the exit status.
func Main(argv []string, s applet.Streams) int {
	if len(argv) == 0 {
		argv = []string{"probebox"}
	}
	// Before anything else, even --help: a set-user-ID tracer is a hole.
	if err := privs.CheckIdentity(privs.Current()); err != nil {
		fmt.Fprintf(s.Stderr, "%s: %v\n", filepath.Base(argv[0]), err)
		return 1
	}
	if a, ok := applet.Lookup(filepath.Base(argv[0])); ok && !a.NoLink {
		return a.Main(argv[1:], s)
	}
	args := argv[1:]
	if len(args) == 0 {
		writeList(s.Stdout)
		return 0
	}
	switch args[0] {
	case "--list", "-l":
		writeList(s.Stdout)
		return 0
	case "--list-names": // the names links are made for
		for _, a := range applet.All() {
			if !a.NoLink {
				fmt.Fprintln(s.Stdout, a.Name)
			}
		}
		return 0
	case "--help", "-h", "help":
		writeList(s.Stdout)
		return 0
	case "--version", "-V":
		writeVersion(s.Stdout)
		return 0
	case "--man-pages":
		if len(args) != 2 {
			fmt.Fprintln(s.Stderr, "probebox: --man-pages needs a directory")
			return 2
		}
		return writeManPages(args[1], s)
	case "--install":
		return install(args[1:], s)
	}
	if a, ok := applet.Lookup(args[0]); ok {
		return a.Main(args[1:], s)
	}
	if strings.HasPrefix(args[0], "-") {
		fmt.Fprintf(s.Stderr, "probebox: unknown option %s (see probebox --help)\n", args[0])
	} else {
		fmt.Fprintf(s.Stderr, "probebox: unknown applet %q (probebox --list shows them)\n", args[0])
	}
	return 2
}

func writeList(w io.Writer) {
	fmt.Fprintf(w, "probebox %s: eBPF observability tools in one binary\n\n", Version)
	fmt.Fprintf(w, "Usage: probebox APPLET [OPTIONS...]   or   APPLET [OPTIONS...] through a link\n")
	fmt.Fprintf(w, "       probebox --list | --install [-s] [--force] DIR | --version\n\nApplets:\n")
	width := 0
	for _, a := range applet.All() {
		width = max(width, len(a.Name))
	}
	for _, a := range applet.All() {
		fmt.Fprintf(w, "  %-*s  %s\n", width, a.Name, a.Summary)
	}
}
