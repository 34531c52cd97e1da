package pidpersec

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/internal/golden"
)

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 12, 1, 21, 4, 5, 0, time.Local)
	for _, js := range []bool{false, true} {
		p := &printer{json: js, now: func() time.Time { return fixed }}
		var b bytes.Buffer
		for _, s := range []sample{{143, 20}, {0, 0}, {1 << 40, 7}} {
			p.write(&b, s)
		}
		golden.Check(t, map[bool]string{false: "default", true: "json"}[js], b.String())
		if js {
			golden.JSONLines(t, b.String())
		}
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"--bogus"}, {"extra"}, {"-c", "/nonexistent-cgroup"}} {
		var out, errb strings.Builder
		status := Applet.Exec(t.Context(), args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		if status != 2 || strings.Count(strings.TrimSpace(errb.String()), "\n") > 1 {
			t.Errorf("%q: status %d, stderr %q", args, status, errb.String())
		}
	}
}
