// Package applet is the registry every probebox tool joins, and the one place
// that knows how command lines are parsed.
//
// An applet describes its flags, positional arguments and examples with the
// plain types here; the parser behind them (urfave/cli v2, in maintenance)
// stays private to this package so it can be swapped without touching tools.
package applet
