package applet

import "io"

// Flags every tool offers the same way.
var (
	JSONFlag    = Flag{Long: "json", Usage: "print one JSON object per line"}
	VerboseFlag = Flag{Short: "v", Long: "verbose", Usage: "print which kernel hooks are used, and why"}
	BTFFlag     = Flag{Long: "btf", Kind: String, Meta: "FILE", Usage: "kernel BTF file, for kernels without /sys/kernel/btf/vmlinux"}
	// StatsFlag and MaxCPUFlag are added by Register to every applet that
	// loads BPF (one with Hooks, or Traces set): core/cost does the work.
	StatsFlag  = Flag{Long: "stats", Usage: "at exit, say what the run cost: events, losses, BPF run time per program, probebox's CPU"}
	MaxCPUFlag = Flag{Long: "max-cpu", Kind: Int, Meta: "PERCENT", Usage: "detach and stop (exit status 3) when BPF and probebox use more than PERCENT of one CPU"}
)

// ExitMaxCPU is the exit status of a run that --max-cpu stopped.
const ExitMaxCPU = 3

// costFlags adds --stats and --max-cpu to an applet that loads BPF and
// does not declare them itself.
func (a *Applet) costFlags() {
	if len(a.Hooks) == 0 && !a.Traces {
		return
	}
	have := map[string]bool{}
	for _, f := range a.Flags {
		have[f.Key()] = true
	}
	flags := a.Flags[:len(a.Flags):len(a.Flags)] // never append into the applet's array
	for _, f := range []Flag{StatsFlag, MaxCPUFlag} {
		if !have[f.Key()] {
			flags = append(flags, f)
		}
	}
	a.Flags = flags
}

// VerboseWriter is Stderr when -v/--verbose was given, else nil.
func (inv *Invocation) VerboseWriter() io.Writer {
	if inv.Bool(VerboseFlag.Long) {
		return inv.Stderr
	}
	return nil
}
