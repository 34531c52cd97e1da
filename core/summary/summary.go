// Package summary is the main loop of the histogram tools (runqlat,
// biolatency): a banner once attached, then, every interval or once at
// Ctrl-C, what the BPF maps hold and what full maps refused.
package summary

import (
	"bytes"
	"context"
	"io"
	"time"

	"github.com/probebox/probebox/core/interval"
	"github.com/probebox/probebox/core/loader"
)

// Options describe one tool's loop; E is its decoded map entry.
type Options[E any] struct {
	Tool           string
	Stdout, Stderr io.Writer
	Banner         string // "Tracing ... Hit Ctrl-C to end.\n", left out with --json
	JSON, Verbose  bool
	Every          time.Duration // 0: one summary at Ctrl-C
	Count          int           // summaries before exiting; 0: no limit
	Full           *loader.MapFull
	// Drain reads and clears the maps; Write formats one summary.
	Drain func() ([]E, error)
	Write func(b *bytes.Buffer, entries []E, dropped []loader.Dropped)
}

// Run prints the banner and then the summaries until ctx ends or Count
// is reached.
func Run[E any](ctx context.Context, o Options[E]) error {
	if !o.JSON {
		io.WriteString(o.Stdout, o.Banner)
	}
	if o.Verbose {
		io.WriteString(o.Stderr, o.Tool+": tracing; hit Ctrl-C to end\n")
	}
	var buf bytes.Buffer
	return interval.Run(ctx, o.Every, o.Count, func(bool) error {
		entries, err := o.Drain()
		if err != nil {
			return err
		}
		dropped, err := o.Full.Take()
		if err != nil {
			return err
		}
		loader.Report(o.Stderr, o.Tool, dropped)
		buf.Reset()
		o.Write(&buf, entries, dropped)
		_, err = o.Stdout.Write(buf.Bytes())
		return err
	})
}
