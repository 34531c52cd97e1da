package funcs

import "github.com/probebox/probebox/core/applet"

// Needs is what the function tools attach through, by target form, for
// `probebox features`: any one form is enough to run.
var Needs = []applet.Need{
	{Feature: "tracepoint", For: "tracepoints (t:GROUP:NAME)"},
	{Feature: "uprobes", For: "user functions (c:FUNC, LIB:FUNC, u:PATH:FUNC)"},
	{Feature: "kprobes", For: "kernel functions (FUNC, p::FUNC)"},
}
