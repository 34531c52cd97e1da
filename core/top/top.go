// Package top holds what the top-like tools (biotop, filetop,
// slabratetop) share: the screen clear that only a terminal gets, the
// "HH:MM:SS loadavg: ..." line, and the -r ROWS bound.
package top

import (
	"io"
	"os"
	"strconv"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/output"
)

// ClearScreen is what clear(1) writes on ANSI terminals: cursor home,
// erase the display.
const ClearScreen = "\x1b[H\x1b[2J"

// ShouldClear: libbpf-tools clears the screen unless -C; probebox does so
// only when w is a terminal, so a pipe or a file gets no escape codes.
func ShouldClear(w io.Writer, noClear bool) bool {
	if noClear {
		return false
	}
	f, ok := w.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}

// ReadLoadavg returns /proc/loadavg's line, without its newline; nil when
// it cannot be read.
func ReadLoadavg() []byte {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return nil
	}
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == ' ') {
		b = b[:len(b)-1]
	}
	return b
}

// AppendLoadavgLine appends "HH:MM:SS loadavg: LINE\n" followed by the
// blank line libbpf-tools prints (it keeps /proc/loadavg's newline).
// Nothing when loadavg is nil.
func AppendLoadavgLine(b []byte, now time.Time, loadavg []byte) []byte {
	if loadavg == nil {
		return b
	}
	b = output.AppendClock(b, now)
	b = append(b, " loadavg: "...)
	b = append(b, loadavg...)
	return append(b, "\n\n"...)
}

// MaxRows bounds -r as libbpf-tools does (larger values are cut to it).
const MaxRows = 10240

// Rows validates -r ROWS: a positive number, at most MaxRows.
func Rows(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return 0, applet.Usagef("invalid rows %q: want a positive number", s)
	}
	return min(n, MaxRows), nil
}
