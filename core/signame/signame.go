// Package signame names Linux signals the way the peers print them:
// "SIGUSR1" (killsnoop, sigsnoop -n) and glibc's strsignal text
// ("User defined signal 1", exitsnoop). Numbers come from x/sys/unix for
// the architecture being built, so they are right on x86_64 and arm64.
package signame

import (
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// Max is the highest signal number (SIGRTMAX on Linux).
const Max = 64

// Name returns "SIGUSR1", "SIGRTMIN+3", or the number for anything else.
func Name(sig int) string {
	if sig > 0 && sig < 32 {
		if n := unix.SignalName(unix.Signal(sig)); n != "" {
			return n
		}
	}
	if sig >= 32 && sig <= Max {
		if sig == 34 {
			return "SIGRTMIN"
		}
		if sig == Max {
			return "SIGRTMAX"
		}
		return "SIGRTMIN+" + strconv.Itoa(sig-34)
	}
	return strconv.Itoa(sig)
}

// Describe returns glibc's strsignal(3) text for sig.
func Describe(sig int) string {
	if d, ok := descriptions[Name(sig)]; ok {
		return d
	}
	if sig >= 32 && sig <= Max {
		return "Real-time signal " + strconv.Itoa(sig-32)
	}
	return "Unknown signal " + strconv.Itoa(sig)
}

// Parse reads a signal as a user gives it: "10", "USR1", "SIGUSR1",
// "sigusr1". It reports false for anything else.
func Parse(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, n >= 0 && n <= Max
	}
	up := strings.ToUpper(s)
	if !strings.HasPrefix(up, "SIG") {
		up = "SIG" + up
	}
	if sig := unix.SignalNum(up); sig != 0 {
		return int(sig), true
	}
	for i := 32; i <= Max; i++ {
		if Name(i) == up {
			return i, true
		}
	}
	return 0, false
}

// descriptions are glibc's strsignal strings, by name (numbers differ
// between architectures; names do not).
var descriptions = map[string]string{
	"SIGHUP":    "Hangup",
	"SIGINT":    "Interrupt",
	"SIGQUIT":   "Quit",
	"SIGILL":    "Illegal instruction",
	"SIGTRAP":   "Trace/breakpoint trap",
	"SIGABRT":   "Aborted",
	"SIGBUS":    "Bus error",
	"SIGFPE":    "Floating point exception",
	"SIGKILL":   "Killed",
	"SIGUSR1":   "User defined signal 1",
	"SIGSEGV":   "Segmentation fault",
	"SIGUSR2":   "User defined signal 2",
	"SIGPIPE":   "Broken pipe",
	"SIGALRM":   "Alarm clock",
	"SIGTERM":   "Terminated",
	"SIGSTKFLT": "Stack fault",
	"SIGCHLD":   "Child exited",
	"SIGCONT":   "Continued",
	"SIGSTOP":   "Stopped (signal)",
	"SIGTSTP":   "Stopped",
	"SIGTTIN":   "Stopped (tty input)",
	"SIGTTOU":   "Stopped (tty output)",
	"SIGURG":    "Urgent I/O condition",
	"SIGXCPU":   "CPU time limit exceeded",
	"SIGXFSZ":   "File size limit exceeded",
	"SIGVTALRM": "Virtual timer expired",
	"SIGPROF":   "Profiling timer expired",
	"SIGWINCH":  "Window changed",
	"SIGIO":     "I/O possible",
	"SIGPWR":    "Power failure",
	"SIGSYS":    "Bad system call",
}
