package sockstat

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/internal/golden"
)

var counts = map[key]int{
	{"tcp", "inet", 1}: 4, {"tcp", "inet", 10}: 2, {"tcp", "inet6", 10}: 1, {"tcp", "inet", 6}: 12,
	{"udp", "inet6", 7}: 1, {"unix-stream", "unix", 1}: 20, {"unix-dgram", "unix", 7}: 3, {"unix-seqpacket", "unix", 10}: 1,
}

func TestSummaryGolden(t *testing.T) {
	fixed := time.Date(2026, 12, 1, 21, 2, 3, 0, time.Local)
	for _, tt := range []struct {
		name string
		cfg  config
	}{{"default", config{}}, {"timestamp", config{timestamp: true}}, {"json", config{json: true, timestamp: true}}} {
		t.Run(tt.name, func(t *testing.T) {
			p := &printer{cfg: &tt.cfg, now: func() time.Time { return fixed }, netns: 4026531840}
			var b bytes.Buffer
			p.summary(&b, counts)
			p.summary(&b, map[key]int{})
			if tt.cfg.json {
				golden.JSONLines(t, b.String())
			}
			golden.Check(t, tt.name, b.String())
		})
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"0"}, {"1", "0"}, {"1", "2", "3"}, {"x"}, {"-z"}, {"-N", "/nonexistent/ns"}} {
		var out, errb strings.Builder
		status := Applet.Exec(context.Background(), args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		if status != 2 || !strings.HasPrefix(errb.String(), "sockstat: ") || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("%q: status %d, stderr %q; want 2 and one sockstat: line", args, status, errb.String())
		}
	}
}
