// Package trace is probebox's bpftrace: probe discovery (-l) and programs
// in the bpftrace language, compiled in Go straight to BPF instructions,
// with no LLVM or C compiler at run time. bpftrace's own tools run
// unchanged (its preprocessor lines, USDT probes, loops, time(), buf(),
// kstack(perf, N), software:, hardware: and watchpoint: probes ...), and
// a link named bpftrace makes their shebang line work:
//
//	# probebox trace /usr/sbin/execsnoop.bt
//	Attaching 3 probes...
//	TIME(ms)   PID   ARGS
//	308        2374  /bin/echo hello probebox
//	565        2377  /usr/local/go/pkg/tool/linux_amd64/compile -o /tmp/go-build3806706486/b224/_pkg_.a ...
//
// Stacks in perf's format, with a frame limit (this machine, as bpftrace
// 0.17 prints them):
//
//	# probebox trace -e 'tracepoint:syscalls:sys_enter_clock_nanosleep /comm == "sleep"/ { @k[kstack(perf, 2)] = count(); @u[ustack(perf, 1)] = count(); }'
//	@k[
//		ffffffff814c2d0b perf_syscall_enter+475
//		ffffffff81424310 syscall_trace_enter+384
//	]: 5
//	@u[
//		7f82f3404503 0x7f82f3404503 ([unknown])
//	]: 1
//	...
//	@u[
//		7f4aadcbd503 clock_nanosleep@GLIBC_2.2.5+35 (/usr/lib/x86_64-linux-gnu/libc.so.6)
//	]: 1
//
// (a user frame of a process gone by the time the map prints is unknown,
// in bpftrace too)
//
// ustack and code built without frame pointers (--unwind, as profile's;
// bpftrace has no such option): bpftrace's ustack is the kernel's
// frame-pointer walk, which stops at the first such function (most of
// Debian's libc). By default (auto: where the kernel has bpf_loop, 5.17+,
// on x86-64) probebox walks ustack in BPF from .eh_frame unwind tables
// instead, the stack tools' walker linked into each probe that takes a
// ustack (ustack.go); --unwind=fp keeps bpftrace's walk. The unwinder's
// test program (-O2 -fomit-frame-pointer, cmp_hot called by libc's qsort):
//
//	# probebox trace -p 10782 -e 'uprobe:/tmp/uwsc/hot:cmp_hot { @[ustack(6)] = count(); } interval:s:1 { exit(); }'
//	...
//	@[
//	    cmp_hot
//	    msort_with_tmp.part.0+660
//	    qsort_r+182
//	    main+77
//	    __libc_start_call_main+122
//	    __libc_start_main_impl+133
//	]: 4095
//
//	# probebox trace -p 10782 --unwind=fp -e '...the same...'
//	...
//	@[
//	    cmp_hot
//	]: 38702
package trace

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/probebox/probebox/applets/trace/lang"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/kbtf"
	"github.com/probebox/probebox/core/output"
	"github.com/probebox/probebox/core/unwind"
	"golang.org/x/sys/unix"
)

func init() { applet.Register(Applet) }

// Applet is trace's registration.
var Applet = &applet.Applet{
	Name:     "trace",
	Needs:    []applet.Need{{Feature: "tracepoint", For: "tracepoint probes"}, {Feature: "raw_tracepoint", For: "rawtracepoint probes"}, {Feature: "uprobes", For: "uprobe, uretprobe, usdt probes"}, {Feature: "kprobes", For: "kprobe, kretprobe probes"}, {Feature: "fentry", For: "fentry, fexit (kfunc, kretfunc) probes"}, {Feature: "perf_events", For: "profile, interval, software probes"}, {Feature: "hardware_events", For: "hardware probes"}},
	NeedsAny: true,
	Summary:  "bpftrace-style probe listing and one-liners, compiled without LLVM",
	// A link named bpftrace on PATH runs bpftrace's scripts through their
	// own shebang, #!/usr/bin/env bpftrace.
	Aliases: []string{"bpftrace"},
	Args:    []applet.Arg{{Name: "FILE", Usage: "program file (or, with -l, the probe pattern); words after it are the positional parameters $1..$N", Variadic: true}},
	Flags: []applet.Flag{
		{Short: "e", Kind: applet.String, Meta: "PROGRAM", Usage: "the program to run"},
		{Short: "l", Usage: "list probes matching the pattern (all without one)"},
		{Short: "v", Usage: "with -l: also show each probe's arguments"},
		{Short: "p", Kind: applet.Int, Meta: "PID", Usage: "trace only process PID (uprobes in its files) and stop when it exits"},
		{Short: "c", Kind: applet.String, Meta: "CMD", Usage: "run CMD, trace while it runs, stop when it exits"},
		{Short: "d", Usage: "print the parsed program and the generated BPF instructions, then exit"},
		{Short: "f", Kind: applet.String, Meta: "FORMAT", Usage: "output format: text or json (one JSON object per line, as bpftrace's)", Default: "text"},
		{Short: "o", Kind: applet.String, Meta: "OUTPUT", Usage: "write the program's output to OUTPUT instead of stdout"},
		{Short: "B", Kind: applet.String, Meta: "MODE", Usage: "output buffering: line, full or none (output is flushed at least every 100 ms in any mode)", Default: "line"},
		{Long: "unsafe", Usage: "allow system() and signal(): actions beyond observing"},
		{Short: "I", Kind: applet.StringList, Meta: "DIR", Usage: "search DIR for #include files (may be repeated)"},
		{Long: "include", Kind: applet.StringList, Meta: "HEADER", Usage: "read HEADER (its #defines and struct definitions) before the program (may be repeated)"},
		{Long: "unwind", Kind: applet.String, Meta: "MODE", Default: unwind.ModeAuto, Usage: "ustack: " + unwind.FlagUsage},
	},
	Examples: []applet.Example{
		{"trace -l 'tracepoint:syscalls:sys_enter_*'", "list probes"},
		{"trace -lv tracepoint:syscalls:sys_enter_openat", "a probe's arguments"},
		{"trace -e 'BEGIN { printf(\"hello world\\n\"); exit(); }'", "hello world"},
		{"trace -e 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }'", "syscalls by process"},
		{"trace -e 'tracepoint:syscalls:sys_enter_openat { printf(\"%s %s\\n\", comm, str(args->filename)); }'", "files opened"},
		{"trace -e 'tracepoint:syscalls:sys_exit_read /args->ret > 0/ { @bytes = hist(args->ret); }'", "read sizes"},
		{"trace -e 'tracepoint:sched:sched_process_exec { printf(\"%s parent %s\\n\", comm, curtask->real_parent->comm); }'", "struct members through kernel BTF"},
		{"trace -e 'tracepoint:sock:inet_sock_set_state { printf(\"%s -> %s\\n\", ntop(args->saddr), ntop(args->daddr)); }'", "TCP state changes with addresses"},
		{"trace -c 'cat /etc/hostname' -e 'tracepoint:syscalls:sys_enter_openat /pid == cpid/ { printf(\"%s\\n\", str(args->filename)); }'", "files a command opens, from its first instruction"},
		{"trace -p 1234 -e 'uprobe:libc:malloc { @[usym(reg(\"ip\"))] = count(); }'", "one process: probes filtered, libc found in its maps"},
		{"trace /usr/sbin/execsnoop.bt", "run one of bpftrace's own tools"},
		{"trace -f json /usr/sbin/syscount.bt", "its output as JSON, one object per line"},
		{"trace -e 'usdt:/usr/bin/python3:python:function__entry { printf(\"%s\\n\", str(arg1)); }'", "a USDT probe, arguments from its note"},
		{"trace -e 'software:page-faults:100 { @[comm] = count(); }'", "page faults by process, one sample per 100"},
		{"trace -e 'profile:hz:99 { @[kstack(perf, 5)] = count(); }'", "sampled kernel stacks, five frames, in perf's format"},
		{"trace -e 'tracepoint:syscalls:sys_enter_write /comm == \"bash\"/ { printf(\"%r\\n\", buf(args->buf, args->count)); }'", "bytes written, non-printable ones as \\xNN"},
	},
	Traces: true, // --stats, --max-cpu
	Run:    run0,
}

func run0(ctx context.Context, inv *applet.Invocation) error {
	if inv.Bool("l") {
		pattern := ""
		if len(inv.Args) > 0 {
			pattern = inv.Args[0]
		}
		return list(inv, pattern, inv.Bool("v"))
	}
	if m := inv.String("unwind"); !unwind.ValidMode(m) {
		return applet.Usagef("invalid --unwind %q: want fp, eh_frame or auto", m)
	}
	switch inv.String("f") {
	case "text", "json":
	default:
		return applet.Usagef("invalid output format %q for -f: text or json", inv.String("f"))
	}
	switch inv.String("B") {
	case "line", "full", "none":
	default:
		return applet.Usagef("invalid buffering mode %q for -B: line, full or none", inv.String("B"))
	}
	src, file := inv.String("e"), "stdin"
	params := inv.Args
	switch {
	case src == "" && len(inv.Args) == 0:
		return applet.Usagef("no program: give one with -e 'PROGRAM' or as a FILE")
	case src == "":
		b, err := os.ReadFile(inv.Args[0])
		if err != nil {
			return err
		}
		src, file, params = string(b), inv.Args[0], inv.Args[1:]
	}
	prog, err := frontEnd(file, src, params, inv)
	if err != nil {
		return err
	}
	var dump strings.Builder
	if inv.Bool("d") {
		lang.DumpAST(&dump, prog)
	}
	pid := 0
	if inv.IsSet("p") {
		if pid = inv.Int("p"); pid <= 0 {
			return applet.Usagef("invalid PID %d for -p", pid)
		}
		if err := syscall.Kill(pid, 0); err == syscall.ESRCH {
			return fmt.Errorf("-p %d: no such process", pid)
		}
	}
	var kid *child
	if cmdline := inv.String("c"); cmdline != "" {
		if kid, err = startChild(cmdline, inv.Stdout, inv.Stderr); err != nil {
			return err
		}
		// Until it runs, a failure leaves nothing behind.
		defer kid.kill()
	}
	opts := lang.Options{StartNs: monotonicNs(), Arch: runtime.GOARCH, File: file, PID: uint32(pid), Unsafe: inv.Bool("unsafe")}
	mode := inv.String("unwind")
	opts.NewWalker = func() (*lang.Walker, error) { return ustackWalker(mode) }
	if kid != nil {
		opts.CPID = kid.pid()
	}
	compiled, err := lang.Compile(prog, newKernelEnv(), opts)
	if err != nil {
		return err
	}
	for _, w := range compiled.Warnings {
		fmt.Fprintln(inv.Stderr, output.Escape(w))
	}
	compiled.JSON = inv.String("f") == "json"
	if path := inv.String("o"); path != "" && !inv.Bool("d") {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
		if err != nil {
			return fmt.Errorf("-o: %w", err)
		}
		defer f.Close()
		inv.Stdout = f
	}
	if inv.Bool("d") {
		dump.WriteString("\n")
		compiled.Dump(&dump)
		_, err := fmt.Fprint(inv.Stdout, dump.String())
		return err
	}
	if pid > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		go waitPID(ctx, pid, cancel)
	}
	if kid != nil {
		return runWithCommand(ctx, compiled, kid, inv)
	}
	return run(ctx, compiled, inv.Stdout, inv.Stderr, nil)
}

// frontEnd runs the passes before compilation: the preprocessor, then
// the parser.
func frontEnd(file, src string, params []string, inv *applet.Invocation) (*lang.Program, error) {
	pp, err := lang.Preprocess(file, src, lang.PreprocessOptions{
		IncludeDirs: inv.Strings("I"), Includes: inv.Strings("include"), HaveBTF: kbtf.Default("").Available(),
	})
	if err != nil {
		return nil, err
	}
	prog, err := lang.Parse(file, pp.Text)
	if err != nil {
		return nil, err
	}
	prog.Structs = append(pp.Structs, prog.Structs...)
	return prog, lang.BindParams(prog, params)
}

// runWithCommand traces until the -c command exits, letting it run once
// the probes are attached and BEGIN has printed.
func runWithCommand(ctx context.Context, c *lang.Compiled, kid *child, inv *applet.Invocation) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-kid.exited:
			// Let the last events of its exit arrive.
			time.Sleep(100 * time.Millisecond)
			cancel()
		case <-ctx.Done():
		}
	}()
	return run(ctx, c, inv.Stdout, inv.Stderr, kid.run)
}

// waitPID cancels when the process is gone.
func waitPID(ctx context.Context, pid int, cancel context.CancelFunc) {
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := syscall.Kill(pid, 0); err == syscall.ESRCH {
				cancel()
				return
			}
		}
	}
}

func list(inv *applet.Invocation, pattern string, verbose bool) error {
	env := newKernelEnv()
	w := bufio.NewWriter(inv.Stdout)
	defer w.Flush()
	return env.lister.List(pattern, func(name string) error {
		w.WriteString(output.Escape(name))
		w.WriteByte('\n')
		if verbose {
			args, err := env.lister.Arguments(name)
			if err == nil {
				for _, a := range args {
					fmt.Fprintf(w, "    %s\n", a)
				}
			}
		}
		return nil
	})
}

func monotonicNs() uint64 {
	var ts unix.Timespec
	unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts)
	return uint64(ts.Nano())
}
