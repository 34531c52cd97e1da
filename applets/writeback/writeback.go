package writeback

import (
	"context"
	"time"

	bpfobj "github.com/probebox/probebox/bpfobj/writeback"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stream"
)

func init() { applet.Register(Applet) }

// Applet is writeback's registration.
var Applet = &applet.Applet{
	Name:    "writeback",
	Summary: "Trace page cache writeback works, with their reason and latency",
	Flags: []applet.Flag{
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"writeback", "trace writeback events with reason and duration"},
		{"writeback --json", "one JSON object per writeback work"},
	},
	Hooks: Hooks,
	Run:   run,
}

func pair(kind attach.Kind, group, prefix string) []attach.Attachment {
	return []attach.Attachment{
		{Kind: kind, Group: group, Target: "writeback_start", Program: prefix + "start"},
		{Kind: kind, Group: group, Target: "writeback_written", Program: prefix + "written"},
	}
}

// Hooks: writeback_start and writeback_written.
var Hooks = []attach.Hook{{
	Name: "writeback works",
	Candidates: []attach.Candidate{
		{Attach: pair(attach.TPBTF, "", "btf_")},
		{Attach: pair(attach.RawTracepoint, "", "raw_")},
		{Attach: pair(attach.Tracepoint, "writeback", "tp_"),
			Limits: "works are matched by file system device, as writeback.bt does: concurrent works on one device share a start time"},
	},
}}

var bounded = []loader.Bounded{{Counter: "map_full", Slot: 0, Map: "starts", What: "writeback works' start times (shown with latency 0)"}}

func run(ctx context.Context, inv *applet.Invocation) error {
	json, verbose := inv.Bool("json"), inv.Bool("verbose")
	if len(inv.Args) > 0 {
		return applet.Usagef("unexpected argument %q", inv.Args[0])
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: bpfobj.LoadWriteback, Hooks: Hooks,
		BTF: inv.String("btf"), Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	full, err := obj.MapFull(bounded...)
	if err != nil {
		return err
	}
	var header []byte
	if !json {
		header = []byte("Tracing writeback... Hit Ctrl-C to end.\n" + headerLine)
	}
	var ev event
	var line []byte
	return stream.Run(ctx, obj, stream.Options{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Header: header, Verbose: verbose, Full: full,
		Format: func(sample []byte) ([]byte, error) {
			if err := ev.decode(sample); err != nil {
				return nil, err
			}
			line = format(line[:0], &ev, time.Now(), json)
			return line, nil
		},
	})
}
