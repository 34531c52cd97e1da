// Package cost accounts for what a tool run costs the machine and caps it:
// `--stats` (events handled and lost, map inserts refused, each BPF
// program's run count and run time, probebox's own CPU time, the share of
// one CPU all of it took) and `--max-cpu PERCENT` (detach and stop when
// BPF and probebox together use more than PERCENT of one CPU).
//
// One tool runs per process, so the account is the process's: core/applet
// starts a Session around an applet's Run, core/loader (and trace) Track
// the programs they attach, the run loops count events (core/events) and
// refused inserts (core/loader MapFull). None of that costs anything when
// no session is active. BPF run time needs the kernel's BPF statistics,
// switched on with a BPF_ENABLE_STATS file descriptor held for the run
// only (never left on).
package cost

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/attach"
)

// Options say what the run asked for.
type Options struct {
	Tool string
	// MaxCPU is --max-cpu: percent of one CPU; 0 is off.
	MaxCPU int
	// Stderr receives the line said when --max-cpu stops the run.
	Stderr io.Writer
	// Tripped is called, once, after --max-cpu detached everything: the
	// caller ends the run (cancels its context).
	Tripped func()
}

// Session is one run's account.
type Session struct {
	opts    Options
	start   time.Time
	cpu0    cpuTime
	stats   io.Closer // the BPF_ENABLE_STATS fd; nil when refused
	missing string    // why BPF run time is not known, "" when it is

	mu       sync.Mutex
	progs    []program
	detaches []func()
	tripped  string // the --max-cpu line, once tripped
	watch    *watch

	streamed atomic.Bool
	handled  atomic.Uint64
	lost     atomic.Uint64
	// allocs: Go heap allocations made while readers streamed (the
	// decoding and formatting path should make none).
	allocs  atomic.Uint64
	refused atomic.Uint64

	stop     chan struct{}
	done     chan struct{}
	attached chan struct{} // Track tells the monitor to start a window
}

type program struct {
	name string
	prog *ebpf.Program // a clone: readable after the tool closed its own
}

var current atomic.Pointer[Session]

// ErrNoStats is why --max-cpu refuses to start: it cannot measure BPF.
var ErrNoStats = errors.New("BPF run-time statistics unavailable")

// Start opens the account for a run. With MaxCPU set it fails, saying
// why, when the kernel's BPF statistics cannot be enabled: a limit that
// cannot see BPF's cost would not guard anything.
func Start(o Options) (*Session, error) {
	s := &Session{opts: o, start: time.Now(), cpu0: ownCPU(), stop: make(chan struct{}), done: make(chan struct{}), attached: make(chan struct{}, 1)}
	s.stats, s.missing = enableStats()
	if o.MaxCPU > 0 && s.missing != "" {
		return nil, fmt.Errorf("--max-cpu %d: %w (%s): the limit cannot be enforced", o.MaxCPU, ErrNoStats, s.missing)
	}
	if o.MaxCPU > 0 {
		s.watch = &watch{limit: float64(o.MaxCPU)}
		go s.monitor()
	} else {
		close(s.done)
	}
	current.Store(s)
	return s, nil
}

// Tripped is the line --max-cpu said when it stopped the run, or "".
func (s *Session) Tripped() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tripped
}

// End closes the account: the monitor stops, BPF statistics are switched
// off, the programs' clones are released. Report before End.
func (s *Session) End() {
	current.CompareAndSwap(s, nil)
	select {
	case <-s.stop:
	default:
		close(s.stop)
	}
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.progs {
		p.prog.Close()
	}
	s.progs = nil
	if s.stats != nil {
		s.stats.Close()
		s.stats = nil
	}
}

// Track adds attached programs to the active session, if any, by name,
// and detach, which --max-cpu calls to detach them at once (it must be
// safe to call with the owner's own Close, and more than once).
func Track(progs map[string]*ebpf.Program, detach func()) {
	s := current.Load()
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for name, p := range progs {
		if p == nil {
			continue
		}
		c, err := p.Clone()
		if err != nil {
			continue
		}
		s.progs = append(s.progs, program{name: name, prog: c})
	}
	if detach != nil {
		s.detaches = append(s.detaches, detach)
	}
	if s.watch != nil {
		s.watch.restart() // loading is not tracing: measure from here
		select {
		case s.attached <- struct{}{}:
		default:
		}
	}
}

// CountEvents adds events a reader handled and newly lost to the active
// session (a stream's reader calls it when its loop ends).
func CountEvents(handled, lost uint64) {
	if s := current.Load(); s != nil {
		s.streamed.Store(true)
		s.handled.Add(handled)
		s.lost.Add(lost)
	}
}

// CountAllocs adds Go heap allocations a reader's loop saw made while it
// streamed (the whole process's, so an upper bound on the loop's own).
func CountAllocs(n uint64) {
	if s := current.Load(); s != nil {
		s.allocs.Add(n)
	}
}

// CountRefused adds map inserts the kernel side refused (full maps).
func CountRefused(n uint64) {
	if s := current.Load(); s != nil {
		s.refused.Add(n)
	}
}

// Available reports whether BPF run-time statistics can be switched on
// here, and if not, why (for `probebox features`).
func Available() (bool, string) {
	c, missing := enableStats()
	if c != nil {
		c.Close()
	}
	return missing == "", missing
}

// enableStats switches BPF run-time statistics on for as long as the
// returned Closer stays open. Without it (before 5.8, or without
// CAP_SYS_ADMIN) they may still be on for everyone through the
// kernel.bpf_stats_enabled sysctl. PROBEBOX_DISABLE=bpf_stats imitates a
// kernel that refuses.
func enableStats() (io.Closer, string) {
	if attach.Disabled("bpf_stats") {
		return nil, "BPF_ENABLE_STATS refused (disabled by " + attach.DisableEnv + ")"
	}
	c, err := ebpf.EnableStats(uint32(unix.BPF_STATS_RUN_TIME))
	if err == nil {
		return c, ""
	}
	if b, rerr := os.ReadFile("/proc/sys/kernel/bpf_stats_enabled"); rerr == nil && strings.TrimSpace(string(b)) == "1" {
		return nil, "" // on for everyone already
	}
	msg, _, _ := strings.Cut(err.Error(), "\n")
	return nil, "BPF_ENABLE_STATS refused: " + msg + "; needs Linux 5.8 and CAP_SYS_ADMIN, or sysctl kernel.bpf_stats_enabled=1"
}

// cpuTime is probebox's own CPU time so far (all threads).
type cpuTime struct{ user, system time.Duration }

func ownCPU() cpuTime {
	var ru unix.Rusage
	if unix.Getrusage(unix.RUSAGE_SELF, &ru) != nil {
		return cpuTime{}
	}
	return cpuTime{user: time.Duration(ru.Utime.Nano()), system: time.Duration(ru.Stime.Nano())}
}

func (c cpuTime) total() time.Duration { return c.user + c.system }

// bpfTime sums the tracked programs' run time and run count.
func (s *Session) bpfTime() (time.Duration, uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var t time.Duration
	var n uint64
	for _, p := range s.progs {
		if st, err := p.prog.Stats(); err == nil {
			t += st.Runtime
			n += st.RunCount
		}
	}
	return t, n
}

// EnableStats switches BPF run-time statistics on until the Closer is
// closed, for a caller that accounts for several tools in one process
// (the exporter, per collector); missing says why not when it is nil and
// statistics are off.
func EnableStats() (c io.Closer, missing string) { return enableStats() }

// RunTime sums progs' run time and run count so far (zero without
// statistics): one collector's share, where a process runs several.
func RunTime(progs map[string]*ebpf.Program) (time.Duration, uint64) {
	var t time.Duration
	var n uint64
	for _, p := range progs {
		if p == nil {
			continue
		}
		if st, err := p.Stats(); err == nil {
			t += st.Runtime
			n += st.RunCount
		}
	}
	return t, n
}
