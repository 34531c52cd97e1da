package interval

import (
	"context"
	"testing"
	"time"

	"github.com/probebox/probebox/core/applet"
)

func TestArgs(t *testing.T) {
	tests := []struct {
		args  []string
		every time.Duration
		count int
		usage bool
	}{
		{nil, 0, 0, false},
		{[]string{"1"}, time.Second, 0, false},
		{[]string{"2", "5"}, 2 * time.Second, 5, false},
		{[]string{"0"}, 0, 0, true},
		{[]string{"x"}, 0, 0, true},
		{[]string{"1", "-1"}, 0, 0, true},
	}
	for _, tt := range tests {
		every, count, err := Args(tt.args)
		if tt.usage {
			if !applet.IsUsage(err) {
				t.Errorf("%q: err %v, want a usage error", tt.args, err)
			}
			continue
		}
		if err != nil || every != tt.every || count != tt.count {
			t.Errorf("%q: %v %d %v", tt.args, every, count, err)
		}
	}
}

func TestRunCount(t *testing.T) {
	var calls []bool
	err := Run(context.Background(), 10*time.Millisecond, 3, func(final bool) error {
		calls = append(calls, final)
		return nil
	})
	if err != nil || len(calls) != 3 || calls[0] || calls[1] || !calls[2] {
		t.Fatalf("calls %v, err %v; want [false false true]", calls, err)
	}
}

func TestRunUntilCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var finals int
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	Run(ctx, 0, 0, func(final bool) error {
		if final {
			finals++
		}
		return nil
	})
	if finals != 1 {
		t.Fatalf("%d final summaries at Ctrl-C, want 1", finals)
	}
}

// TestReaderGoneSkipsFinal: a run whose reader went away ends without
// its final summary; Ctrl-C (a plain cancel) prints it.
func TestReaderGoneSkipsFinal(t *testing.T) {
	for _, every := range []time.Duration{0, time.Hour} {
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(applet.ErrReaderGone)
		printed := false
		if err := Run(ctx, every, 0, func(bool) error { printed = true; return nil }); err != nil || printed {
			t.Errorf("every %v: err %v, printed %v; want nothing printed", every, err, printed)
		}
		ctx, cancel = context.WithCancelCause(context.Background())
		cancel(nil)
		if Run(ctx, every, 0, func(bool) error { printed = true; return nil }); !printed {
			t.Errorf("every %v: Ctrl-C printed no final summary", every)
		}
	}
}
