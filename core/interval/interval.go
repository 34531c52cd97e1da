// Package interval drives the summary tools (biolatency, runqlat, ...):
// print every interval seconds, count times, or once at Ctrl-C, as bcc's
// `[interval] [count]` arguments mean.
package interval

import (
	"context"
	"strconv"
	"time"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/memtrim"
)

// maxArg bounds interval and count: 68 years of seconds, and far from
// overflowing a time.Duration.
const maxArg = 1<<31 - 1

// Args parses the optional positional [interval] [count]. No interval
// means one summary at Ctrl-C; an interval without count repeats forever.
func Args(args []string) (every time.Duration, count int, err error) {
	if len(args) > 0 {
		n, err := strconv.Atoi(args[0])
		if err != nil || n <= 0 || n > maxArg {
			return 0, 0, applet.Usagef("invalid interval %q: want a positive number of seconds", args[0])
		}
		every = time.Duration(n) * time.Second
	}
	if len(args) > 1 {
		count, err = strconv.Atoi(args[1])
		if err != nil || count <= 0 || count > maxArg {
			return 0, 0, applet.Usagef("invalid count %q: want a positive number", args[1])
		}
	}
	return every, count, nil
}

// Run calls print after every interval (or once, when ctx ends, if every is
// 0) until count summaries were printed or ctx ends. print gets final=true
// for the last call. A summary is always printed on Ctrl-C unless one was
// printed just before.
func Run(ctx context.Context, every time.Duration, count int, print func(final bool) error) error {
	// Set up: what the tool dropped after load and the start-up code
	// need not stay resident while it waits.
	memtrim.All()
	if every <= 0 {
		<-ctx.Done()
		if applet.ReaderGone(ctx) {
			return nil
		}
		return print(true)
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for n := 1; ; n++ {
		select {
		case <-ctx.Done():
			if applet.ReaderGone(ctx) {
				return nil
			}
			return print(true)
		case <-t.C:
			last := count > 0 && n >= count
			if err := print(last); err != nil || last {
				return err
			}
		}
	}
}
