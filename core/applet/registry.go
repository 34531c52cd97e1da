package applet

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/probebox/probebox/core/attach"
)

// Applet is one tool of the multi-call binary.
type Applet struct {
	Name     string // command name, also the symlink name
	Summary  string // one line for `probebox --list`
	Usage    string // synopsis after the name; derived from Flags when empty
	Args     []Arg  // positional arguments, in order
	Flags    []Flag
	Examples []Example
	// Hooks are the kernel hooks the tool needs, for `probebox features`.
	Hooks []attach.Hook
	// Needs: for an applet without fixed Hooks (its probes are uprobes,
	// perf events or targets given on the command line), the kernel
	// features it attaches through, for `probebox features`. It can run
	// where all are available, or with NeedsAny where one is.
	Needs    []Need
	NeedsAny bool
	// Aliases are other names the applet answers to when invoked through
	// a link of that name ("bpftrace" for trace, so scripts' shebangs
	// work); no link is made for them.
	Aliases []string
	// NoLink: reached only as `probebox NAME`, never through a link of
	// that name (a generic word such as "features" must not land in PATH).
	NoLink bool
	// Traces: the applet loads BPF without declaring Hooks (trace), so it
	// gets --stats and --max-cpu as applets with Hooks do.
	Traces bool
	// Run does the work. Usage problems found after parsing (a value out of
	// range) are returned as Usagef errors so they exit with status 2.
	Run func(ctx context.Context, inv *Invocation) error
}

// Need is one kernel feature, named as `probebox features` names it
// ("uprobes", "perf_events", "hardware_events", "tracepoint", "kprobes",
// "fentry"; empty: nothing to probe), and what the applet uses it for.
type Need struct {
	Feature string
	For     string
}

// Arg is a positional argument, always optional (bcc tools' [interval] [count]).
type Arg struct {
	Name  string
	Usage string
	// Variadic: the last argument takes any number of words (trace's
	// positional parameters after its program file).
	Variadic bool
}

// Example is one line of the bcc-style Examples section: the command
// ("execsnoop -x") and what it does ("include failed exec()s").
type Example [2]string

var registry = map[string]*Applet{}

// Register adds an applet; it is called from the applet's init function.
// A duplicate or malformed registration is a programming error caught by
// the registry tests, so it panics at start-up rather than at a user.
func Register(a *Applet) {
	if a.Name == "" || a.Run == nil {
		panic("applet: Register needs a Name and a Run function")
	}
	if _, dup := registry[a.Name]; dup {
		panic(fmt.Sprintf("applet: %q registered twice", a.Name))
	}
	a.costFlags()
	registry[a.Name] = a
}

// Lookup finds an applet by the name it was invoked as. Debian's bcc package
// installs tools as NAME-bpfcc; scripts written for it keep working.
func Lookup(name string) (*Applet, bool) {
	name = strings.TrimSuffix(name, "-bpfcc")
	if a, ok := registry[name]; ok {
		return a, true
	}
	for _, a := range registry {
		for _, alias := range a.Aliases {
			if alias == name {
				return a, true
			}
		}
	}
	return nil, false
}

// All returns the applets sorted by name.
func All() []*Applet {
	all := make([]*Applet, 0, len(registry))
	for _, a := range registry {
		all = append(all, a)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	return all
}
