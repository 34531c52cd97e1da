package netqtop

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/netqtop"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var q bpfobj.NetqtopNetqtopQueue
	if unsafe.Sizeof(q) != 8*(2+sizes) || len(q.Sizes) != sizes {
		t.Fatalf("layout changed: %d bytes", unsafe.Sizeof(q))
	}
}

func TestHuman(t *testing.T) {
	for _, tt := range []struct {
		v     float64
		float bool
		want  string
	}{
		{0, false, "0"}, {1000, false, "1000"}, {1001, false, "0.98K"}, {2048, false, "2.0K"}, {1000001, false, "0.95M"},
		{3 << 20, false, "3.0M"}, {0, true, "0.0"}, {12.345, true, "12.35"}, {999.5, true, "999.5"},
	} {
		if got := human(tt.v, tt.float); got != tt.want {
			t.Errorf("human(%v, %v) = %q, want %q", tt.v, tt.float, got, tt.want)
		}
	}
	for in, want := range map[string]string{"QueueID": " QueueID  ", "avg_size": " avg_size ", "[64, 512)": "[64, 512) ", "[16K, 64K)": "[16K, 64K)", "BPS": "   BPS    "} {
		if got := center(in, 10); got != want {
			t.Errorf("center(%q) = %q, want %q", in, got, want)
		}
	}
}

func sample() interval {
	return interval{
		tx: []queue{{bytes: 1000 * 60, packets: 1000, sizes: [sizes]uint64{1000}}, {}, {bytes: 5 << 20, packets: 90, sizes: [sizes]uint64{0, 0, 10, 40, 40}}},
		rx: []queue{{bytes: 2000, packets: 20, sizes: [sizes]uint64{5, 15}}},
	}
}

func TestSummaryGolden(t *testing.T) {
	fixed := time.Date(2026, 12, 1, 21, 2, 3, 0, time.Local)
	for _, tt := range []struct {
		name string
		cfg  config
	}{
		{"default", config{seconds: 1}},
		{"throughput", config{seconds: 2, throughput: true}},
		{"json", config{seconds: 0.5, json: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := &printer{cfg: &tt.cfg, now: func() time.Time { return fixed }}
			var b bytes.Buffer
			p.summary(&b, sample())
			if tt.cfg.json {
				golden.JSONLines(t, b.String())
			}
			golden.Check(t, tt.name, b.String())
		})
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{}, {"-n", "0123456789abcdef"}, {"-n", "lo", "-i", "0"}, {"-n", "lo", "-i", "x"}, {"-n", "lo", "-i", "-1"},
		{"-n", "pbx-no-such-if"}, {"-n", "lo", "--netns", "/nonexistent"}, {"-n", "lo", "extra"}, {"-z"}, {"--btf"}} {
		var out, errb strings.Builder
		status := Applet.Exec(context.Background(), args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		if status != 2 || !strings.HasPrefix(errb.String(), "netqtop: ") || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("%q: status %d, stderr %q; want 2 and one netqtop: line", args, status, errb.String())
		}
	}
}

func TestHookPrograms(t *testing.T) {
	s, err := spec()
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]any{"target_ifindex": int32(1), "target_netns": uint32(2)} {
		if vs, ok := s.Variables[name]; !ok || vs.Set(v) != nil {
			t.Errorf("constant %s", name)
		}
	}
	for _, h := range Hooks {
		for _, c := range h.Candidates {
			for _, a := range c.Attach {
				if s.Programs[a.Program] == nil {
					t.Errorf("%s: no program %s", h.Name, a.Program)
				}
			}
		}
	}
}
