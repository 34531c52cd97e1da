package applet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/probebox/probebox/core/cost"
	"github.com/probebox/probebox/core/output"
)

// Streams are the standard streams an applet runs with.
type Streams struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// Main parses args (without the program name), runs the applet until it
// finishes or SIGINT, SIGTERM or SIGHUP arrives (each detaches and flushes
// the same way), prints any error as one line and returns the exit status.
func (a *Applet) Main(args []string, s Streams) (status int) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	// Asking for SIGPIPE turns the Go runtime's silent death on a closed
	// stdout into an EPIPE error, so the tool detaches like on Ctrl-C and
	// Exec ends it quietly (`execsnoop | head -3`). Notify, not Ignore:
	// an ignored SIGPIPE would be inherited by commands trace -c runs.
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	return a.Exec(ctx, args, s)
}

// Exec is Main without the signal handling, for tests and embedding.
func (a *Applet) Exec(ctx context.Context, args []string, s Streams) (status int) {
	defer func() {
		// A bug must not print a Go stack trace at a user in an incident.
		if r := recover(); r != nil {
			fmt.Fprintf(s.Stderr, "%s: internal error: %v (please report this)\n", a.Name, r)
			status = 1
		}
	}()
	inv, err := a.parse(args)
	if errors.Is(err, errHelp) {
		a.WriteHelp(s.Stdout)
		return 0
	}
	if err == nil {
		inv.Stdin, inv.Stdout, inv.Stderr = s.Stdin, s.Stdout, s.Stderr
		// A reader that goes away ends the run as Ctrl-C would: the
		// loops (core/stream, core/summary, trace) detach and return.
		runCtx, cancel := context.WithCancelCause(ctx)
		stopWatch := watchReader(s.Stdout, func() { cancel(ErrReaderGone) })
		var acct *cost.Session
		if acct, err = a.startCost(inv, func() { cancel(nil) }); err == nil {
			err = a.Run(runCtx, inv)
		}
		stopWatch()
		cancel(nil)
		var forced int
		if forced, err = a.endCost(acct, inv, err); forced >= 0 {
			return forced
		}
	}
	if errors.Is(err, syscall.EPIPE) {
		return 0 // the reader went away (| head): nothing to say, nobody to say it to
	}
	if err != nil {
		if IsUsage(err) {
			// One line, always: a newline in a bad argument is escaped too.
			fmt.Fprintf(s.Stderr, "%s: %s (see %s --help)\n", a.Name, output.Escape(err.Error()), a.Name)
		} else {
			fmt.Fprintf(s.Stderr, "%s: %s\n", a.Name, safeText(err.Error()))
		}
	}
	return ExitStatus(err)
}

// safeText escapes what an error message may quote from the command line,
// a file or a traced process, keeping its line breaks.
func safeText(msg string) string {
	lines := strings.Split(msg, "\n")
	for i, l := range lines {
		lines[i] = output.Escape(l)
	}
	return strings.Join(lines, "\n")
}
