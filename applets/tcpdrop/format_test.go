package tcpdrop

import (
	"context"
	"encoding/binary"
	"github.com/probebox/probebox/core/livetest"
	"net/netip"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/tcpdrop"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/netfmt"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var e bpfobj.TcpdropTcpdropEvent
	if unsafe.Sizeof(e) != eventSize || unsafe.Offsetof(e.Af) != offAF || unsafe.Offsetof(e.State) != offState ||
		unsafe.Offsetof(e.Saddr) != offSaddr || unsafe.Offsetof(e.Daddr) != offDaddr || unsafe.Offsetof(e.StackId) != 12 || unsafe.Offsetof(e.Reason) != 16 {
		t.Fatalf("event layout changed: size %d", unsafe.Sizeof(e))
	}
}

func sample(pid uint32, stack int32, reason uint32, af, sport, dport uint16, state, flags uint8, saddr, daddr string) []byte {
	b := make([]byte, eventSize)
	ne := binary.NativeEndian
	ne.PutUint64(b, 1)
	ne.PutUint32(b[8:], pid)
	ne.PutUint32(b[12:], uint32(stack))
	ne.PutUint32(b[16:], reason)
	ne.PutUint16(b[offAF:], af)
	ne.PutUint16(b[offAF+2:], sport)
	ne.PutUint16(b[offAF+4:], dport)
	b[offState], b[offState+1] = state, flags
	for off, s := range map[int]string{offSaddr: saddr, offDaddr: daddr} {
		a := netip.MustParseAddr(s)
		if a.Is4() {
			v := a.As4()
			copy(b[off:], v[:])
		} else {
			v := a.As16()
			copy(b[off:], v[:])
		}
	}
	return b
}

var samples = [][]byte{
	sample(82093, 3, 6, netfmt.AFInet, 50010, 58484, 1, 16|8, "127.0.0.1", "127.0.0.1"),
	sample(0, -14, 2, netfmt.AFInet6, 40000, 443, 0, 2, "::1", "::1"),
	sample(7, 1, 999, netfmt.AFInet, 1, 2, 12, 0xff, "127.0.0.2", "127.0.0.3"),
}

func fakeStack(id int32) []string {
	if id < 0 {
		return nil
	}
	return []string{"kfree_skb_reason+0x1b", "nf_hook_slow+0x9d", "ip_local_deliver+0xd4"}
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 12, 1, 21, 2, 3, 0, time.Local)
	for _, tt := range []struct {
		name  string
		cfg   config
		stack bool
	}{{"default", config{}, true}, {"nostack", config{noStack: true}, false}, {"json", config{json: true}, true}} {
		t.Run(tt.name, func(t *testing.T) {
			p := newPrinter(&tt.cfg, func() time.Time { return fixed })
			p.reasons = map[uint32]string{2: "NOT_SPECIFIED", 6: "NETFILTER_DROP"}
			if tt.stack {
				p.stack = fakeStack
			}
			var out strings.Builder
			if !tt.cfg.json {
				out.Write(p.header())
			}
			var ev event
			for _, s := range samples {
				if err := ev.decode(s); err != nil {
					t.Fatal(err)
				}
				out.Write(p.format(&ev))
			}
			if tt.cfg.json {
				golden.JSONLines(t, out.String())
			}
			golden.Check(t, tt.name, out.String())
		})
	}
}

func TestReasonNames(t *testing.T) {
	names := reasonNames("")
	if len(names) == 0 {
		livetest.Unavailable(t, "no kernel BTF: the drop reasons come from its enum skb_drop_reason")
	}
	found := false
	for _, n := range names {
		found = found || n == "NETFILTER_DROP"
	}
	if !found {
		t.Errorf("no NETFILTER_DROP among %d reasons", len(names))
	}
}

func TestDecodeShort(t *testing.T) {
	var ev event
	if err := ev.decode(make([]byte, eventSize-1)); err == nil {
		t.Fatal("short sample decoded")
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"-4", "-6"}, {"extra"}, {"-z"}, {"--btf"}} {
		var out, errb strings.Builder
		status := Applet.Exec(context.Background(), args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		if status != 2 || !strings.HasPrefix(errb.String(), "tcpdrop: ") || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("%q: status %d, stderr %q; want 2 and one tcpdrop: line", args, status, errb.String())
		}
	}
}
