package funccount

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/internal/golden"
)

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 11, 25, 13, 4, 5, 0, time.Local)
	rows := []row{{"vfs_write", 120}, {"vfs_read", 4}, {"evil\x1b[31m", 4}, {"a_very_long_function_name_that_goes_on_and_on", 1}}
	for _, tc := range []struct {
		name string
		cfg  config
	}{{"text", config{}}, {"timestamp", config{timestamp: true}}, {"json", config{json: true, timestamp: true}}} {
		t.Run(tc.name, func(t *testing.T) {
			p := &printer{cfg: &tc.cfg, now: func() time.Time { return fixed }}
			var out bytes.Buffer
			p.write(&out, append([]row(nil), rows...), nil)
			p.write(&out, nil, nil)
			golden.Check(t, tc.name, out.String())
			if bytes.IndexByte(out.Bytes(), 0x1b) >= 0 {
				t.Error("an escape byte reached the output")
			}
			if tc.cfg.json {
				for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
					var v jsonSummary
					if err := json.Unmarshal([]byte(l), &v); err != nil {
						t.Errorf("%q: %v", l, err)
					}
				}
			}
		})
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{
		{}, {"a", "b"}, {"-p", "0", "vfs_read"}, {"-i", "0", "vfs_read"}, {"-d", "-1", "vfs_read"},
		{"a:b:c:d"}, {"t::x"}, {"-r", "t:sched:("}, {"t:nosuchgroup:nosuchevent"}, {"/nonexistent/bin:main"},
		{"-p", "999999999", "c:malloc"},
	} {
		tool := livetest.Start(t, Applet, args...)
		status, exited := tool.Exited(wait)
		if !exited || status != 2 || len(tool.Stderr()) != 1 {
			t.Errorf("%q: exited %v status %d stderr %q, want 2 and one line", args, exited, status, tool.Stderr())
		}
	}
}

func TestHelp(t *testing.T) {
	var b strings.Builder
	Applet.WriteHelp(&b)
	for _, want := range []string{"-p, --pid PID", "-i, --interval INTERVAL", "-d, --duration DURATION", "-r, --regexp", "pattern", "Examples:", "t:sched:sched_fork"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, b.String())
		}
	}
}
