package applet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Streams are the standard streams an applet runs with.
type Streams struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// Main parses args (without the program name), runs the applet until it
// finishes or SIGINT/SIGTERM arrives, prints any error as one line and
// returns the exit status.
func (a *Applet) Main(args []string, s Streams) (status int) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
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
		err = a.Run(ctx, inv)
	}
	if err != nil {
		if IsUsage(err) {
			fmt.Fprintf(s.Stderr, "%s: %v (see %s --help)\n", a.Name, err, a.Name)
		} else {
			fmt.Fprintf(s.Stderr, "%s: %v\n", a.Name, err)
		}
	}
	return ExitStatus(err)
}
