package ttysnoop

import (
	"context"
	"io"
	"os"

	"github.com/mattn/go-isatty"

	bpfobj "github.com/probebox/probebox/bpfobj/ttysnoop"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stream"
)

func init() { applet.Register(Applet) }

// Applet is ttysnoop's registration.
var Applet = &applet.Applet{
	Name:    "ttysnoop",
	Summary: "Watch live output from a tty or pts device",
	Args:    []applet.Arg{{Name: "device", Usage: "the terminal: /dev/pts/N, N (a pts number) or /dev/ttyX"}},
	Flags: []applet.Flag{
		{Short: "C", Long: "noclear", Usage: "don't clear the screen"},
		{Short: "s", Long: "datasize", Kind: applet.Int, Meta: "SIZE", Default: "256", Usage: "size of the transmitting buffer, in bytes"},
		{Short: "c", Long: "datacount", Kind: applet.Int, Meta: "COUNT", Default: "16", Usage: "number of buffers per write: at most SIZE*COUNT bytes of each write are shown"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"ttysnoop /dev/pts/2", "snoop output from /dev/pts/2"},
		{"ttysnoop 2", "snoop output from /dev/pts/2 (shortcut)"},
		{"ttysnoop /dev/console", "snoop output from the system console"},
		{"ttysnoop /dev/tty0", "snoop output from /dev/tty0"},
		{"ttysnoop /dev/pts/2 -s 1024", "snoop output from /dev/pts/2 with data size 1024"},
		{"ttysnoop /dev/pts/2 -c 2", "snoop output from /dev/pts/2 with 2 checks for 256 bytes of data in buffer"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Hooks: tty_write() (fentry, else kprobe), as libbpf-tools hooks it;
// without either, the writes at the syscall tracepoints, every kernel has
// them, matching the file descriptor's device in the kernel.
var Hooks = []attach.Hook{{
	Name: "tty write",
	Candidates: []attach.Candidate{{
		Attach: []attach.Attachment{{Kind: attach.Fentry, Target: "tty_write", Program: "fentry_tty_write"}},
		Limits: writevLimit,
	}, {
		Attach: []attach.Attachment{{Kind: attach.Kprobe, Target: "tty_write", Program: "kprobe_tty_write"}},
		Limits: writevLimit,
	}, {
		Attach: []attach.Attachment{
			{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_enter_write", Program: "tp_sys_enter_write"},
			{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_enter_writev", Program: "tp_sys_enter_writev", Optional: true},
		},
		Limits: "syscall stand-in for tty_write(): output written with write()/writev() to a file descriptor of this terminal; " +
			"of a writev() only the first 256 bytes of each of its first 8 buffers; pwrite, io_uring and splice/sendfile into it are not seen",
	}},
}}

const writevLimit = "of a writev() only the first 256 bytes of each of its first 8 buffers"

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: bpfobj.LoadTtysnoop, Hooks: Hooks,
		Consts: cfg.consts(), BTF: cfg.btf, Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	if !cfg.noclear && !cfg.json && isTerminal(inv.Stdout) {
		io.WriteString(inv.Stdout, "\x1b[H\x1b[2J") // as bcc's clear
	}
	p := newPrinter(cfg)
	var ev event
	return stream.Run(ctx, obj, stream.Options{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr, Verbose: cfg.verbose,
		Format: func(sample []byte) ([]byte, error) {
			if err := ev.decode(sample); err != nil {
				return nil, err
			}
			return p.format(&ev), nil
		},
	})
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}
