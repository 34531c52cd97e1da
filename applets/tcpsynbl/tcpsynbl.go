package tcpsynbl

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/tcpsynbl"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/hist"
	"github.com/probebox/probebox/core/interval"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/netfmt"
	"github.com/probebox/probebox/core/output"
	"github.com/probebox/probebox/core/summary"
)

func init() { applet.Register(Applet) }

// Applet is tcpsynbl's registration.
var Applet = &applet.Applet{
	Name:    "tcpsynbl",
	Summary: "Summarize TCP SYN backlog as a histogram",
	Args: []applet.Arg{
		{Name: "interval", Usage: "output interval, in seconds (default: one summary at Ctrl-C)"},
		{Name: "count", Usage: "number of outputs"},
	},
	Flags: []applet.Flag{
		{Short: "T", Long: "timestamp", Usage: "include timestamp on output"},
		{Short: "4", Long: "ipv4", Usage: "trace IPv4 family only"},
		{Short: "6", Long: "ipv6", Usage: "trace IPv6 family only"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"tcpsynbl", "summarize TCP SYN backlog as a histogram"},
		{"tcpsynbl 1 10", "print 1 second summaries, 10 times"},
		{"tcpsynbl -T 1", "1s summaries with timestamps"},
		{"tcpsynbl -4", "trace IPv4 family only"},
		{"tcpsynbl -6", "trace IPv6 family only"},
	},
	Hooks: Hooks,
	Run:   run,
}

const stateLimit = "counted at the child socket's LISTEN -> SYN_RECV, which tcp_v[46]_syn_recv_sock makes as a copy of the listener: the same moment and values"

// Hooks: where the handshake's last ACK makes the child socket.
var Hooks = []attach.Hook{{
	Name: "TCP handshake completion",
	Candidates: append([]attach.Candidate{
		{Attach: []attach.Attachment{
			{Kind: attach.Fentry, Target: "tcp_v4_syn_recv_sock", Program: "fentry_v4"},
			{Kind: attach.Fentry, Target: "tcp_v6_syn_recv_sock", Program: "fentry_v6", Optional: true},
		}},
		{Attach: []attach.Attachment{
			{Kind: attach.Kprobe, Target: "tcp_v4_syn_recv_sock", Program: "kprobe_v4"},
			{Kind: attach.Kprobe, Target: "tcp_v6_syn_recv_sock", Program: "kprobe_v6", Optional: true},
		}},
	}, netfmt.SetStateCandidates(stateLimit)...),
}}

type config struct {
	timestamp, json, verbose bool
	family                   uint16
	every                    time.Duration
	count                    int
	btf                      string
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{timestamp: inv.Bool("timestamp"), json: inv.Bool("json"), verbose: inv.Bool("verbose"), btf: inv.String("btf")}
	switch {
	case inv.Bool("ipv4") && inv.Bool("ipv6"):
		return nil, applet.Usagef("-4 and -6 cannot be used together")
	case inv.Bool("ipv4"):
		c.family = netfmt.AFInet
	case inv.Bool("ipv6"):
		c.family = netfmt.AFInet6
	}
	if len(inv.Args) > 2 {
		return nil, applet.Usagef("unrecognized positional argument %q", inv.Args[2])
	}
	var err error
	if c.every, c.count, err = interval.Args(inv.Args); err != nil {
		return nil, err
	}
	return c, nil
}

func spec() (*ebpf.CollectionSpec, error) {
	s, err := bpfobj.LoadTcpsynbl()
	if err != nil {
		return nil, err
	}
	delete(s.Maps, "events") // only maps are filled
	delete(s.Maps, "lost_events")
	return s, nil
}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: spec, Hooks: Hooks, Consts: map[string]any{"filter_family": cfg.family},
		BTF: cfg.btf, Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	hists := obj.Map("hists")
	if hists == nil {
		return fmt.Errorf("internal: BPF object has no hists map")
	}
	full, err := obj.MapFull(loader.Bounded{Counter: "map_full", Slot: 0, Map: "hists", What: "handshakes"})
	if err != nil {
		return err
	}
	p := &printer{cfg: cfg, now: time.Now}
	return summary.Run(ctx, summary.Options[entry]{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Banner: "Tracing SYN backlog size. Ctrl-C to end.\n", JSON: cfg.json, Verbose: cfg.verbose,
		Every: cfg.every, Count: cfg.count, Full: full,
		Drain: func() ([]entry, error) { return drain(hists) },
		Write: p.summary,
	})
}

const maxSlots = 32 // TCPSYNBL_MAX_SLOTS

// entry is one histogram: the backlog limit and the queue lengths seen.
type entry struct {
	max   uint64
	slots []uint64
}

func decodeEntry(max uint64, v []byte) (entry, error) {
	if len(v) < maxSlots*4 {
		return entry{}, fmt.Errorf("short histogram: %d bytes", len(v))
	}
	e := entry{max: max, slots: make([]uint64, maxSlots)}
	for i := range e.slots {
		e.slots[i] = uint64(binary.NativeEndian.Uint32(v[i*4:]))
	}
	return e, nil
}

// drain copies every histogram out, sorted by backlog limit, and deletes
// them so the next summary starts from zero.
func drain(m *ebpf.Map) ([]entry, error) {
	var (
		k       uint64
		v       = make([]byte, maxSlots*4)
		entries []entry
	)
	it := m.Iterate()
	for it.Next(&k, &v) {
		e, err := decodeEntry(k, v)
		if err != nil {
			return nil, err
		}
		entries = append(entries, e)
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("reading histograms: %w", err)
	}
	for _, e := range entries {
		if err := m.Delete(e.max); err != nil && !errors.Is(err, ebpf.ErrKeyNotExist) {
			return nil, fmt.Errorf("clearing histograms: %w", err)
		}
	}
	slices.SortFunc(entries, func(a, b entry) int { return int(int64(a.max) - int64(b.max)) })
	return entries, nil
}

type printer struct {
	cfg *config
	now func() time.Time
	n   int
}

// summary is libbpf-tools' "\n", the clock with -T, then per limit
// "backlog_max = N" and the histogram in "backlog" units.
func (p *printer) summary(w *bytes.Buffer, entries []entry, dropped []loader.Dropped) {
	p.n++
	if p.cfg.json {
		var j output.JSONLine
		j.Reset()
		j.Int("summary", int64(p.n))
		if p.cfg.timestamp {
			j.Str("time", output.AppendClock(nil, p.now()))
		}
		list := []byte{'['}
		for i, e := range entries {
			if i > 0 {
				list = append(list, ',')
			}
			list = append(list, `{"backlog_max":`...)
			list = strconv.AppendUint(list, e.max, 10)
			list = append(list, ',')
			list = append(list, hist.AppendLog2JSON(nil, e.slots, "backlog")[1:]...)
		}
		j.Raw("histograms", append(list, ']'))
		j.Raw("not_counted", loader.AppendJSON(nil, dropped))
		w.Write(j.Bytes())
		return
	}
	b := []byte{'\n'}
	if p.cfg.timestamp {
		b = output.AppendClock(b, p.now())
		b = append(b, '\n')
	}
	for _, e := range entries {
		b = append(b, "backlog_max = "...)
		b = strconv.AppendUint(b, e.max, 10)
		b = append(b, '\n')
		w.Write(b)
		b = b[:0]
		hist.PrintLog2(w, e.slots, "backlog")
	}
	w.Write(b)
}
