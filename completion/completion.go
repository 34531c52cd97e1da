// Package completion writes shell completion scripts for probebox and
// every applet link, generated from the applet registry: a new flag
// completes without touching this code.
package completion

import (
	"io"
	"strings"

	"github.com/probebox/probebox/core/applet"
)

// Value is what a flag's argument is, for value completion.
type Value string

const (
	NoValue  Value = ""
	Pid      Value = "pid"
	Disk     Value = "disk"
	Cgroup   Value = "cgroup"
	File     Value = "file"
	Probe    Value = "probe"
	Anything Value = "any"
)

// ValueOf guesses a flag's value kind from its placeholder (PID, DISK...).
func ValueOf(f applet.Flag) Value {
	if f.Kind == applet.Bool {
		return NoValue
	}
	meta := strings.ToUpper(f.Meta)
	switch {
	case meta == "PID" || meta == "PPID" || meta == "TID":
		return Pid
	case meta == "DISK":
		return Disk
	case strings.Contains(meta, "CGROUP") || strings.Contains(strings.ToLower(f.Long), "cgroup") || (f.Short == "c" && meta == "PATH"):
		return Cgroup
	case meta == "FILE" || meta == "LIB" || meta == "PATH":
		return File
	}
	return Anything
}

// Write writes the script for shell ("bash", "zsh" or "fish").
func Write(w io.Writer, shell string, applets []*applet.Applet) error {
	switch shell {
	case "bash":
		return writeBash(w, applets)
	case "zsh":
		return writeZsh(w, applets)
	case "fish":
		return writeFish(w, applets)
	}
	return applet.Usagef("unknown shell %q: bash, zsh or fish", shell)
}

// flagWords lists an applet's options as typed on a command line.
func flagWords(a *applet.Applet) []string {
	words := []string{"-h", "--help"}
	for _, f := range a.Flags {
		if f.Hidden {
			continue
		}
		if f.Short != "" {
			words = append(words, "-"+f.Short)
		}
		if f.Long != "" {
			words = append(words, "--"+f.Long)
		}
	}
	return words
}

// shellWord quotes s for sh.
func shellWord(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func linkable(applets []*applet.Applet) []*applet.Applet {
	var out []*applet.Applet
	for _, a := range applets {
		if !a.NoLink {
			out = append(out, a)
		}
	}
	return out
}

func names(applets []*applet.Applet) []string {
	var out []string
	for _, a := range applets {
		out = append(out, a.Name)
	}
	return out
}
