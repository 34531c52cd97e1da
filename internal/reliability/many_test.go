package reliability

import (
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

const instances = 16

// manyArgs: the stack tools keep kernel stacks only here: sixteen of them
// each naming every process's user stacks at exit is minutes of CPU on two
// cores, and what is tested is that all load, attach, see and exit.
var manyArgs = map[string][]string{
	"offcputime": {"-K"}, "offwaketime": {"-K"}, "wakeuptime": {"-K"}, "profile": {"-K"},
}

// 16 instances of each applet run at once on one machine: all load and
// attach, all see the helper's events (run once all are attached), all
// exit cleanly. One applet at a time: 16 of one are load enough.
func TestManyAtOnce(t *testing.T) {
	eachTracerAlone(t, func(t *testing.T, name string) {
		procs := make([]*proc, instances)
		args := append(append([]string{}, manyArgs[name]...), observeArgs[name]...)
		for i := range procs {
			procs[i] = start(t, name, args...)
		}
		var wg sync.WaitGroup
		ok := make([]bool, instances)
		for i, p := range procs {
			wg.Add(1)
			go func() { defer wg.Done(); ok[i] = p.ready(t) }()
		}
		wg.Wait()
		for i, p := range procs {
			if !ok[i] {
				t.Fatalf("instance %d exited: %s", i, p.Stderr())
			}
		}
		runHelper(t)
		for _, p := range procs {
			p.signal(syscall.SIGINT)
		}
		for i, p := range procs {
			if code := p.wait(t, 60*time.Second); code != 0 {
				t.Errorf("instance %d: exit status %d, stderr %q", i, code, p.Stderr())
			}
			if showsHelper[name] && !strings.Contains(p.Stdout(), "pbx") {
				t.Errorf("instance %d did not see the helper:\n%s", i, p.Stdout())
			}
			// Events lost while 16 instances start on two CPUs are
			// reported (stderr), not failures: the helper's must arrive.
			if s := p.Stderr(); strings.Contains(s, "panic") || strings.Contains(s, "error") {
				t.Errorf("instance %d: %s", i, s)
			}
		}
	})
}
