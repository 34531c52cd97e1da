// Package stream is the main loop of every event-streaming tool (execsnoop,
// opensnoop, biosnoop, tcpconnect...): header, events formatted one by one
// into a buffered writer, lost events reported, a clean stop on Ctrl-C or
// when the duration ends.
package stream

import (
	"context"
	"io"
	"os"
	"time"

	"github.com/probebox/probebox/core/events"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/output"
)

// Options describe one tool's stream.
type Options struct {
	Tool           string
	Stdout, Stderr io.Writer
	Header         []byte // printed once attached; nil for --json
	Verbose        bool   // say on stderr when tracing starts
	// Duration stops tracing after this long (0: until Ctrl-C).
	Duration time.Duration
	// Format turns a raw sample into an output line; a nil line means the
	// event was filtered out. The line may be reused after Format returns.
	Format func(sample []byte) ([]byte, error)
	// Full, when set, has the tool's bounded maps (an in-flight map whose
	// refusals mean events never made): what they refused is said on
	// stderr about once a second and at the end.
	Full *loader.MapFull
}

// Run streams obj's events until ctx ends or the duration passes.
func Run(ctx context.Context, obj *loader.Object, o Options) error {
	rd, err := events.Open(obj.EventSource())
	if err != nil {
		return err
	}
	defer rd.Close()
	if o.Duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.Duration)
		defer cancel()
	}
	// A write that fails while the buffer is idle (the timer's flush) must
	// still end the stream, not leave it tracing into a dead output.
	ctx, stopOnWriteError := context.WithCancel(ctx)
	defer stopOnWriteError()
	out := output.NewWriter(o.Stdout, 100*time.Millisecond)
	defer out.Close()
	if o.Header != nil {
		out.Write(o.Header)
	}
	if err := out.Flush(); err != nil {
		return err
	}
	if o.Verbose {
		io.WriteString(o.Stderr, o.Tool+": tracing; hit Ctrl-C to end\n")
	}
	lastFull := time.Now()
	reportFull := func() {
		if o.Full == nil {
			return
		}
		lastFull = time.Now()
		if d, err := o.Full.Take(); err == nil {
			loader.Report(o.Stderr, o.Tool, d)
		}
	}
	idle := func() {
		if out.Flush() != nil {
			stopOnWriteError()
		}
		if time.Since(lastFull) >= time.Second {
			reportFull()
		}
	}
	err = rd.Loop(ctx, o.Tool, o.Stderr, idle, func(sample []byte) error {
		line, err := o.Format(sample)
		if err != nil || line == nil {
			return err
		}
		_, err = out.Write(line)
		return err
	})
	if ferr := out.Close(); err == nil {
		err = ferr
	}
	reportFull()
	// A write error says itself how many events were not written.
	return err
}

// Colour reports whether w is a terminal that wants colour.
func Colour(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && output.ColorEnabled(f)
}
