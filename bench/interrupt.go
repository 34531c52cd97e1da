package main

import (
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// Undo steps (scratch directory, loop device) that must run even when the
// bench is interrupted: Ctrl-C reaches the tracers and workloads too (same
// process group), but only the bench knows what it set up.
var (
	undoMu sync.Mutex
	undo   []func()
)

// atInterrupt registers fn to run, newest first, if the bench is
// interrupted; the returned function runs it now instead and unregisters it.
func atInterrupt(fn func()) func() {
	undoMu.Lock()
	defer undoMu.Unlock()
	var once sync.Once
	do := func() { once.Do(fn) }
	undo = append(undo, do)
	return do
}

// handleInterrupts runs the registered undo steps on SIGINT, SIGTERM or
// SIGHUP and exits with 128+signal, as a shell reports it.
func handleInterrupts() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		sig := <-sigs
		fmt.Fprintf(os.Stderr, "bench: %v: cleaning up\n", sig)
		undoMu.Lock()
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
		os.Exit(128 + int(sig.(syscall.Signal)))
	}()
}
