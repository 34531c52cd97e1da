package tcpretrans

import (
	"context"
	"errors"
	"io"
	"net/netip"
	"testing"
	"time"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/tcpretrans"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/events"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/loader"
)

// refusing is the running kernel with some hook kinds taken away, to make
// the loader fall back to a later candidate.
type refusing struct {
	attach.Kernel
	deny map[attach.Kind]bool
}

func (r refusing) Supports(k attach.Kind) error {
	if r.deny[k] {
		return errors.New("refused by the test")
	}
	return r.Kernel.Supports(k)
}

// TestLiveFallbackHooks: the raw tracepoint, the tracefs tracepoint and
// (where the kernel has kprobes) the kprobe report a retransmit like
// tp_btf does.
func TestLiveFallbackHooks(t *testing.T) {
	livetest.Require(t)
	for _, tt := range []struct {
		kind attach.Kind
		deny []attach.Kind
	}{
		{attach.RawTracepoint, []attach.Kind{attach.TPBTF}},
		{attach.Tracepoint, []attach.Kind{attach.TPBTF, attach.RawTracepoint}},
		{attach.Kprobe, []attach.Kind{attach.TPBTF, attach.RawTracepoint, attach.Tracepoint}},
	} {
		t.Run(tt.kind.String(), func(t *testing.T) {
			if err := attach.Running.Supports(tt.kind); err != nil {
				t.Skipf("this kernel has no %v: %v (its programs are verified by TestLiveKprobeProgramsVerify)", tt.kind, err)
			}
			k := refusing{Kernel: attach.Running, deny: map[attach.Kind]bool{}}
			for _, d := range tt.deny {
				k.deny[d] = true
			}
			obj, err := loader.Load(loader.Request{Tool: "tcpretrans", Spec: bpfobj.LoadTcpretrans, Hooks: Hooks, Consts: (&config{}).consts(), Kernel: k})
			if err != nil {
				t.Fatal(err)
			}
			defer obj.Close()
			if got := obj.Plan[0].Candidate.Attach[0].Kind; got != tt.kind {
				t.Fatalf("loader chose %v, want %v", got, tt.kind)
			}
			rd, err := events.Open(obj.EventSource())
			if err != nil {
				t.Fatal(err)
			}
			found := make(chan event, 1)
			var cport, sport uint16
			ready := make(chan struct{})
			ctx, cancel := context.WithCancel(context.Background())
			loopDone := make(chan struct{})
			go func() {
				defer close(loopDone)
				<-ready
				var ev event
				rd.Loop(ctx, "tcpretrans", io.Discard, nil, func(b []byte) error {
					if ev.decode(b) == nil && ev.lport == cport && ev.dport == sport {
						select {
						case found <- ev:
						default:
						}
					}
					return nil
				})
			}()
			defer func() { cancel(); rd.Close(); <-loopDone }()
			c := retransmitting(t, livetest.NewNetns(t), "127.0.0.1")
			cport, sport = uint16(c.CPort), uint16(c.SPort)
			close(ready)
			select {
			case ev := <-found:
				lo := netip.MustParseAddr("127.0.0.1")
				if ev.family != afInet || ev.saddr != lo || ev.daddr != lo || ev.state != 1 || ev.typ != typeRetrans {
					t.Errorf("event %+v: want IPv4 127.0.0.1 both ends, ESTABLISHED, R", ev)
				}
			case <-time.After(wait):
				t.Fatalf("no retransmit of port %d through %v (the client counts %d)", cport, tt.kind, c.Retransmits(t))
			}
		})
	}
}

// TestLiveKprobeProgramsVerify: the kprobe programs (and fentry where the
// kernel allows it) pass the verifier on this machine, even where they
// cannot attach.
func TestLiveKprobeProgramsVerify(t *testing.T) {
	livetest.Require(t)
	progs := []string{"kp_retransmit", "kp_tlp"}
	if attach.Running.Supports(attach.Fentry) == nil {
		progs = append(progs, "fentry_tlp")
	} else {
		t.Log("fentry refused here: fentry_tlp not checked")
	}
	spec, err := bpfobj.LoadTcpretrans()
	if err != nil {
		t.Fatal(err)
	}
	for name := range spec.Programs {
		keep := false
		for _, p := range progs {
			keep = keep || p == name
		}
		if !keep {
			delete(spec.Programs, name)
		}
	}
	coll, err := ebpf.NewCollection(spec)
	if err != nil {
		t.Fatalf("loading %v: %v", progs, err)
	}
	coll.Close()
}
