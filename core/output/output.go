// Package output is what every tool uses to print events: escaping of
// strings a traced process controls, bcc-style padded columns, JSON lines,
// a buffered writer that flushes on a timer, and colour on terminals only.
// The append-style functions write into a reused []byte: no fmt or
// reflection on the per-event path.
package output

import (
	"os"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/fatih/color"
	"github.com/mattn/go-isatty"
)

const hexDigits = "0123456789abcdef"

// AppendEscaped appends s with everything that could drive a terminal
// escaped: control bytes as \n, \t, \r or \xNN, invalid UTF-8 and C1
// controls and bidi overrides byte by byte as \xNN, a backslash as \\.
func AppendEscaped(dst []byte, s []byte) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f && c != '\\' {
			dst = append(dst, c)
			i++
			continue
		}
		switch c {
		case '\\':
			dst = append(dst, '\\', '\\')
			i++
			continue
		case '\n':
			dst = append(dst, '\\', 'n')
			i++
			continue
		case '\t':
			dst = append(dst, '\\', 't')
			i++
			continue
		case '\r':
			dst = append(dst, '\\', 'r')
			i++
			continue
		}
		if c < utf8.RuneSelf {
			dst = appendHexByte(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && n <= 1 || unsafeRune(r) {
			for _, b := range s[i : i+n] {
				dst = appendHexByte(dst, b)
			}
			i += n
			continue
		}
		dst = append(dst, s[i:i+n]...)
		i += n
	}
	return dst
}

// unsafeRune: C1 controls and the bidi controls that reorder what follows.
func unsafeRune(r rune) bool {
	return (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f
}

func appendHexByte(dst []byte, b byte) []byte {
	return append(dst, '\\', 'x', hexDigits[b>>4], hexDigits[b&0xf])
}

// Escape is AppendEscaped for strings.
func Escape(s string) string { return string(AppendEscaped(nil, []byte(s))) }

// AppendCString escapes b up to its first NUL (fixed char[16] comm buffers).
func AppendCString(dst []byte, b []byte) []byte {
	for i, c := range b {
		if c == 0 {
			return AppendEscaped(dst, b[:i])
		}
	}
	return AppendEscaped(dst, b)
}

// AppendPadRight appends s left-aligned in width columns (printf "%-*s").
func AppendPadRight(dst []byte, s []byte, width int) []byte {
	dst = append(dst, s...)
	return spaces(dst, width-len(s))
}

// AppendPadLeft appends s right-aligned in width columns (printf "%*s").
func AppendPadLeft(dst []byte, s []byte, width int) []byte {
	return append(spaces(dst, width-len(s)), s...)
}

// AppendIntPadRight is printf "%-*d".
func AppendIntPadRight(dst []byte, v int64, width int) []byte {
	start := len(dst)
	dst = strconv.AppendInt(dst, v, 10)
	return spaces(dst, width-(len(dst)-start))
}

// AppendIntPadLeft is printf "%*d".
func AppendIntPadLeft(dst []byte, v int64, width int) []byte {
	var tmp [24]byte
	num := strconv.AppendInt(tmp[:0], v, 10)
	return AppendPadLeft(dst, num, width)
}

// AppendUintPadLeft is printf "%*u".
func AppendUintPadLeft(dst []byte, v uint64, width int) []byte {
	var tmp [24]byte
	num := strconv.AppendUint(tmp[:0], v, 10)
	return AppendPadLeft(dst, num, width)
}

func spaces(dst []byte, n int) []byte {
	for ; n > 0; n-- {
		dst = append(dst, ' ')
	}
	return dst
}

// AppendClock appends t as "%H:%M:%S" in local time (the -T column).
func AppendClock(dst []byte, t time.Time) []byte {
	h, m, s := t.Clock()
	return append(dst, byte('0'+h/10), byte('0'+h%10), ':', byte('0'+m/10), byte('0'+m%10), ':', byte('0'+s/10), byte('0'+s%10))
}

// AppendElapsed is printf "%-*.*f" for the -t seconds column.
func AppendElapsed(dst []byte, seconds float64, width, prec int) []byte {
	start := len(dst)
	dst = strconv.AppendFloat(dst, seconds, 'f', prec, 64)
	return spaces(dst, width-(len(dst)-start))
}

// ColorEnabled reports whether f is a terminal that wants colour.
func ColorEnabled(f *os.File) bool {
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	return isatty.IsTerminal(f.Fd())
}

// Paint wraps s in colour c when enabled.
func Paint(enabled bool, c color.Attribute, s string) string {
	if !enabled {
		return s
	}
	p := color.New(c)
	p.EnableColor()
	return p.Sprint(s)
}
