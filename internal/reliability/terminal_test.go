package reliability

import (
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"
)

// unsafeOutput returns a description of the first byte sequence in s that
// could drive a terminal, or "".
func unsafeOutput(s string) string {
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			return "invalid UTF-8 at byte " + itoa(i)
		case r < 0x20 && r != '\n' && r != '\t', r == 0x7f:
			return "control byte " + strconv.Quote(string(r)) + " at byte " + itoa(i)
		case r >= 0x80 && r <= 0x9f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return "C1 or bidi control " + strconv.Quote(string(r)) + " at byte " + itoa(i)
		}
	}
	return ""
}

// A process whose name, arguments and file names are full of terminal
// controls and invalid UTF-8 is traced by every applet (in --json too,
// when it has it); nothing it controls reaches the output unescaped.
func TestTerminalSafety(t *testing.T) {
	eachTracer(t, func(t *testing.T, name string) {
		modes := [][]string{observeArgs[name]}
		if hasJSON(name) {
			modes = append(modes, append([]string{"--json"}, observeArgs[name]...))
		}
		for _, args := range modes {
			p := start(t, name, args...)
			// A header comes after the tools' programs are attached
			// (the first link can be a hook's probe, before them: under
			// load solisten's helper once listened in between); --json
			// prints none: wait for its links instead, then give it the
			// moment between the first link and the last.
			if len(args) == 0 || args[0] != "--json" {
				p.firstLine(10 * time.Second)
			}
			if !p.attached(t) {
				t.Fatalf("%v: exited before tracing: %s", args, p.Stderr())
			}
			time.Sleep(time.Second)
			runHelper(t)
			p.signal(syscall.SIGINT)
			p.wait(t, 30*time.Second)
			out, errOut := p.Stdout(), p.Stderr()
			if bad := unsafeOutput(out); bad != "" {
				t.Errorf("%v: stdout has %s:\n%q", args, bad, out)
			}
			if bad := unsafeOutput(errOut); bad != "" {
				t.Errorf("%v: stderr has %s:\n%q", args, bad, errOut)
			}
			if showsHelper[name] && !strings.Contains(out, "pbx") {
				t.Errorf("%v: the hostile helper does not appear in the output, nothing was checked:\n%s", args, out)
			}
		}
	})
}

func hasJSON(name string) bool { return hasFlag(name, "json") }
