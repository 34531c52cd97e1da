package lang

import (
	"strings"

	"github.com/cilium/ebpf/asm"
)

// signals are the names signal() takes, as kill(1) spells them.
var signals = map[string]int32{
	"SIGHUP": 1, "SIGINT": 2, "SIGQUIT": 3, "SIGILL": 4, "SIGTRAP": 5, "SIGABRT": 6, "SIGBUS": 7, "SIGFPE": 8,
	"SIGKILL": 9, "SIGUSR1": 10, "SIGSEGV": 11, "SIGUSR2": 12, "SIGPIPE": 13, "SIGALRM": 14, "SIGTERM": 15,
	"SIGCHLD": 17, "SIGCONT": 18, "SIGSTOP": 19, "SIGTSTP": 20, "SIGTTIN": 21, "SIGTTOU": 22, "SIGURG": 23,
	"SIGXCPU": 24, "SIGXFSZ": 25, "SIGVTALRM": 26, "SIGPROF": 27, "SIGWINCH": 28, "SIGIO": 29, "SIGPWR": 30, "SIGSYS": 31,
}

// unsafeCall is system(), cat() and signal(). system() and signal()
// are allowed only with --unsafe, as in bpftrace; cat() only reads a
// file, and bpftrace allows it without (oomkill.bt uses it).
func (g *gen) unsafeCall(call *Call) error {
	if !g.c.opts.Unsafe && call.Name != "cat" {
		return errAt(call, "%s() is an unsafe function being used in safe mode: run with --unsafe", call.Name)
	}
	if call.Name == "signal" {
		return g.signal(call)
	}
	if len(call.Args) == 0 {
		return errAt(call, "%s() needs a format string", call.Name)
	}
	lit, ok := call.Args[0].(*Str)
	if !ok {
		return errAt(call, "%s()'s first argument must be a string literal", call.Name)
	}
	verbs, err := ParseFormat(lit.V)
	if err != nil {
		return errAt(call, "%v", err)
	}
	if len(verbs) != len(call.Args)-1 {
		return errAt(call, "%s: %d arguments for a format that takes %d", call.Name, len(call.Args)-1, len(verbs))
	}
	kind := PrintfSystem
	if call.Name == "cat" {
		kind = PrintfCat
	}
	return g.record(&Printf{Kind: kind, Format: lit.V}, call.Args[1:], verbs)
}

// signal sends a signal to the current process with bpf_send_signal.
func (g *gen) signal(call *Call) error {
	if len(call.Args) != 1 {
		return errAt(call, "signal() takes one signal, a name (\"SIGKILL\") or a number")
	}
	switch a := call.Args[0].(type) {
	case *Str:
		name := strings.ToUpper(a.V)
		if !strings.HasPrefix(name, "SIG") {
			name = "SIG" + name
		}
		n, ok := signals[name]
		if !ok {
			return errAt(a, "signal(%q): no such signal", a.V)
		}
		g.emit(asm.Mov.Imm(asm.R1, n))
	case *Int:
		if a.V < 1 || a.V > 64 {
			return errAt(a, "signal(%d): signals are 1 to 64", a.V)
		}
		g.emit(asm.Mov.Imm(asm.R1, int32(a.V)))
	default:
		t, err := g.typeOf(a)
		if err != nil || t.Kind != KInt {
			return firstErr(err, errAt(a, "signal() takes a signal name or number"))
		}
		if err := g.genInt(a); err != nil {
			return err
		}
		g.emit(asm.Mov.Reg(asm.R1, asm.R0))
	}
	g.call(asm.FnSendSignal)
	return nil
}
