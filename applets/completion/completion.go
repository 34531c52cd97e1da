// Package completion is `probebox completion bash|zsh|fish`: prints the
// shell completion script for probebox and every applet link.
package completion

import (
	"context"

	"github.com/probebox/probebox/completion"
	"github.com/probebox/probebox/core/applet"
)

func init() { applet.Register(Applet) }

// Applet prints completion scripts.
var Applet = &applet.Applet{
	Name:    "completion",
	Summary: "Print the shell completion script (bash, zsh or fish)",
	NoLink:  true,
	Args:    []applet.Arg{{Name: "SHELL", Usage: "bash, zsh or fish"}},
	Examples: []applet.Example{
		{"source <(probebox completion bash)", "complete probebox and its links in this bash"},
		{"probebox completion fish > ~/.config/fish/completions/probebox.fish", "install for fish"},
	},
	Run: func(_ context.Context, inv *applet.Invocation) error {
		if len(inv.Args) != 1 {
			return applet.Usagef("which shell? bash, zsh or fish")
		}
		return completion.Write(inv.Stdout, inv.Args[0], applet.All())
	},
}
