package applet

import (
	"context"
	"errors"
	"runtime"
	"syscall"

	"github.com/probebox/probebox/core/cost"
)

// startCost opens the run's cost account when --stats, --max-cpu or -v
// asks for one (nil otherwise). stop ends the run when --max-cpu trips.
func (a *Applet) startCost(inv *Invocation, stop context.CancelFunc) (*cost.Session, error) {
	maxCPU := 0
	if inv.IsSet(MaxCPUFlag.Long) {
		// Percent of one CPU: BPF on many CPUs can take more than one.
		limit := 100 * runtime.NumCPU()
		if maxCPU = inv.Int(MaxCPUFlag.Long); maxCPU < 1 || maxCPU > limit {
			return nil, Usagef("invalid value %d for option --max-cpu: want a percentage of one CPU from 1 to %d", maxCPU, limit)
		}
	}
	if maxCPU == 0 && !inv.Bool(StatsFlag.Long) && !(inv.Bool(VerboseFlag.Long) && len(a.Hooks) > 0) {
		return nil, nil
	}
	if !a.Traces && len(a.Hooks) == 0 {
		return nil, nil // prints and exits: nothing to account for
	}
	return cost.Start(cost.Options{Tool: a.Name, MaxCPU: maxCPU, Stderr: inv.Stderr, Tripped: stop})
}

// endCost prints the account (--stats or -v) and closes it; it returns
// the run's result as the exit status sees it: a run --max-cpu stopped
// ends with ExitMaxCPU whatever the write of its last output did.
func (a *Applet) endCost(acct *cost.Session, inv *Invocation, err error) (int, error) {
	if acct == nil {
		return -1, err
	}
	defer acct.End()
	tripped := acct.Tripped() != ""
	quiet := err == nil || errors.Is(err, syscall.EPIPE) || tripped
	if quiet && (inv.Bool(StatsFlag.Long) || inv.Bool(VerboseFlag.Long)) {
		sum := acct.Summary()
		if inv.Bool(StatsFlag.Long) && inv.Bool(JSONFlag.Long) {
			sum.WriteJSON(inv.Stdout)
		} else {
			sum.WriteText(inv.Stderr, a.Name)
		}
	}
	if tripped && (err == nil || errors.Is(err, syscall.EPIPE)) {
		return ExitMaxCPU, nil
	}
	return -1, err
}
