package mdflush

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"time"

	bpfobj "github.com/probebox/probebox/bpfobj/mdflush"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/output"
	"github.com/probebox/probebox/core/stream"
)

func init() { applet.Register(Applet) }

// Applet is mdflush's registration.
var Applet = &applet.Applet{
	Name:    "mdflush",
	Summary: "Trace md (software RAID) flush requests",
	Flags:   []applet.Flag{applet.JSONFlag, applet.BTFFlag, applet.VerboseFlag},
	Examples: []applet.Example{
		{"mdflush", "trace md flush events"},
		{"mdflush --json", "one JSON object per flush"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Hooks: md_flush_request by fentry, else kprobe; there is no
// tracepoint. The md driver (md_mod) must be loaded for the function to
// exist.
var Hooks = []attach.Hook{{
	Name: "md flush",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{{Kind: attach.Fentry, Target: "md_flush_request", Program: "fentry_md_flush"}}},
		{Attach: []attach.Attachment{{Kind: attach.Kprobe, Target: "md_flush_request", Program: "kprobe_md_flush"}}},
	},
}}

// headerLine is libbpf-tools' "%-8s %-7s %-16s %s".
const headerLine = "TIME     PID     COMM             DEVICE\n"

// Layout of struct mdflush_event (bpfobj/mdflush/mdflush.h).
const (
	offComm   = 4
	offDisk   = 20
	eventSize = 52
)

type event struct {
	pid        uint32
	comm, disk []byte
}

func cstr(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short mdflush event: %d bytes", len(b))
	}
	e.pid = binary.NativeEndian.Uint32(b)
	e.comm = cstr(b[offComm : offComm+16])
	e.disk = cstr(b[offDisk : offDisk+32])
	return nil
}

// format appends "%-8s %-7d %-16s %s" or a JSON object.
func format(b []byte, e *event, now time.Time, json bool) []byte {
	if json {
		var j output.JSONLine
		j.Reset()
		j.Str("time", output.AppendClock(nil, now))
		j.Uint("pid", uint64(e.pid))
		j.Str("comm", e.comm)
		j.Str("device", e.disk)
		return append(b, j.Bytes()...)
	}
	b = output.AppendClock(b, now)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.pid), 7)
	b = append(b, ' ')
	b = output.AppendPadRight(b, output.AppendEscaped(nil, e.comm), 16)
	b = append(b, ' ')
	b = output.AppendEscaped(b, e.disk)
	return append(b, '\n')
}

func run(ctx context.Context, inv *applet.Invocation) error {
	json := inv.Bool("json")
	if len(inv.Args) > 0 {
		return applet.Usagef("unexpected argument %q", inv.Args[0])
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: bpfobj.LoadMdflush, Hooks: Hooks, BTF: inv.String("btf"), Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	var header []byte
	if !json {
		header = []byte("Tracing md flush requests... Hit Ctrl-C to end.\n" + headerLine)
	}
	var ev event
	var line []byte
	return stream.Run(ctx, obj, stream.Options{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr, Header: header, Verbose: inv.Bool("verbose"),
		Format: func(sample []byte) ([]byte, error) {
			if err := ev.decode(sample); err != nil {
				return nil, err
			}
			line = format(line[:0], &ev, time.Now(), json)
			return line, nil
		},
	})
}
