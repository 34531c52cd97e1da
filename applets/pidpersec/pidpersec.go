// Package pidpersec counts new processes per second, as bcc's pidpersec
// does ("HH:MM:SS: PIDs/sec: N"), from sched_process_fork, counted per CPU
// in the kernel (every new task: processes and threads, as bcc's
// sched_fork kprobe counts them). --json adds how many of them were
// threads. Counts are cumulative in the kernel and differenced each
// second, so nothing is lost between a read and a reset.
//
// --json prints one object per second: time, pids_per_sec, threads.
//
// On the development machine (6.18, tp_btf):
//
//	# pidpersec
//	Tracing... Ctrl-C to end.
//	21:43:24: PIDs/sec: 10
//	21:43:25: PIDs/sec: 36
//	21:43:26: PIDs/sec: 7
package pidpersec

import (
	"bytes"
	"context"
	"strconv"
	"time"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/pidpersec"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/output"
	"github.com/probebox/probebox/core/summary"
)

func init() { applet.Register(Applet) }

// Applet is pidpersec's registration.
var Applet = &applet.Applet{
	Name:    "pidpersec",
	Summary: "Count new processes (via fork) per second",
	Flags: []applet.Flag{
		{Short: "c", Long: "cgroup", Kind: applet.String, Meta: "PATH", Usage: "count tasks created in this cgroup v2 directory only"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"pidpersec", "count new processes per second"},
		{"pidpersec --json", "one JSON object per second"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Hooks: sched_process_fork fires for every new task.
var Hooks = []attach.Hook{{
	Name: "fork",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{{Kind: attach.TPBTF, Target: "sched_process_fork", Program: "btf_sched_process_fork"}}},
		{Attach: []attach.Attachment{{Kind: attach.RawTracepoint, Target: "sched_process_fork", Program: "raw_sched_process_fork"}}},
	},
}}

// sample is one second's counts.
type sample struct{ all, threads uint64 }

func run(ctx context.Context, inv *applet.Invocation) error {
	obj, err := loader.Load(loader.Request{
		Tool:    inv.Name,
		Spec:    bpfobj.LoadPidpersec,
		Hooks:   Hooks,
		BTF:     inv.String("btf"),
		Cgroup:  inv.String("cgroup"),
		Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	full, err := obj.MapFull()
	if err != nil {
		return err
	}
	counts := obj.Map("counts")
	var last sample
	p := &printer{json: inv.Bool("json"), now: time.Now}
	return summary.Run(ctx, summary.Options[sample]{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Banner: "Tracing... Ctrl-C to end.\n",
		JSON:   p.json, Verbose: inv.Bool("verbose"),
		Every: time.Second, Full: full,
		Drain: func() ([]sample, error) {
			now, err := read(counts)
			if err != nil {
				return nil, err
			}
			d := sample{now.all - last.all, now.threads - last.threads}
			last = now
			return []sample{d}, nil
		},
		Write: func(b *bytes.Buffer, s []sample, _ []loader.Dropped) { p.write(b, s[0]) },
	})
}

// read sums the per-CPU totals.
func read(m *ebpf.Map) (sample, error) {
	var s sample
	for key, dst := range []*uint64{&s.all, &s.threads} {
		var perCPU []uint64
		if err := m.Lookup(uint32(key), &perCPU); err != nil {
			return s, err
		}
		for _, n := range perCPU {
			*dst += n
		}
	}
	return s, nil
}

type printer struct {
	json bool
	now  func() time.Time
}

func (p *printer) write(b *bytes.Buffer, s sample) {
	if p.json {
		var j output.JSONLine
		j.Reset()
		j.Str("time", output.AppendClock(nil, p.now()))
		j.Uint("pids_per_sec", s.all)
		j.Uint("threads", s.threads)
		b.Write(j.Bytes())
		return
	}
	b.Write(output.AppendClock(nil, p.now()))
	b.WriteString(": PIDs/sec: ")
	b.WriteString(strconv.FormatUint(s.all, 10))
	b.WriteByte('\n')
}
