package applet

import (
	"io"
	"strconv"
)

// Kind is the type of a flag's value.
type Kind int

const (
	Bool Kind = iota
	Int
	String
	// StringList may be given more than once (trace -I DIR -I DIR).
	StringList
)

// Flag describes one option. Long or Short may be empty, not both; the flag
// is looked up by Long when it has one, else by Short.
type Flag struct {
	Long    string // "uid" for --uid
	Short   string // "u" for -u
	Kind    Kind
	Meta    string // placeholder in help, "UID"; ignored for Bool
	Usage   string
	Default string // textual default for Int and String flags
	Hidden  bool   // accepted but not listed in --help
}

// Key is the name Invocation methods take for this flag.
func (f Flag) Key() string {
	if f.Long != "" {
		return f.Long
	}
	return f.Short
}

// Invocation is what an applet's Run receives: the parsed command line and
// the streams it talks to.
type Invocation struct {
	Name   string // the applet name (without a -bpfcc suffix)
	Args   []string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer

	values map[string]string
	set    map[string]bool
	lists  map[string][]string
}

// Strings returns every value of a StringList flag, in order.
func (inv *Invocation) Strings(key string) []string { return inv.lists[key] }

// Bool returns a boolean flag's value.
func (inv *Invocation) Bool(key string) bool {
	v, _ := strconv.ParseBool(inv.values[key])
	return v
}

// Int returns an integer flag's value; parsing already validated it.
func (inv *Invocation) Int(key string) int {
	v, _ := strconv.Atoi(inv.values[key])
	return v
}

// String returns a string flag's value.
func (inv *Invocation) String(key string) string { return inv.values[key] }

// IsSet reports whether the user gave the flag.
func (inv *Invocation) IsSet(key string) bool { return inv.set[key] }
