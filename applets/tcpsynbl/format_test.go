package tcpsynbl

import (
	"bytes"
	"context"
	"encoding/binary"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/tcpsynbl"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var h bpfobj.TcpsynblTcpsynblHist
	if unsafe.Sizeof(h) != maxSlots*4 {
		t.Fatalf("hist size %d", unsafe.Sizeof(h))
	}
}

func entries(t *testing.T) []entry {
	var out []entry
	for _, max := range []uint64{5, 4096} {
		v := make([]byte, maxSlots*4)
		binary.NativeEndian.PutUint32(v[0:], 2)
		binary.NativeEndian.PutUint32(v[4:], uint32(max%7))
		binary.NativeEndian.PutUint32(v[8:], 9)
		e, err := decodeEntry(max, v)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

func TestSummaryGolden(t *testing.T) {
	fixed := time.Date(2026, 12, 1, 21, 2, 3, 0, time.Local)
	for _, tt := range []struct {
		name string
		cfg  config
	}{{"default", config{}}, {"timestamp", config{timestamp: true}}, {"json", config{json: true, timestamp: true}}} {
		t.Run(tt.name, func(t *testing.T) {
			p := &printer{cfg: &tt.cfg, now: func() time.Time { return fixed }}
			var b bytes.Buffer
			p.summary(&b, entries(t), []loader.Dropped{{Bounded: loader.Bounded{Map: "hists"}}})
			if tt.cfg.json {
				golden.JSONLines(t, b.String())
			}
			golden.Check(t, tt.name, b.String())
		})
	}
}

func TestHookPrograms(t *testing.T) {
	s, err := spec()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Variables["filter_family"].Set(uint16(10)); err != nil {
		t.Error(err)
	}
	for _, h := range Hooks {
		for _, c := range h.Candidates {
			for _, a := range c.Attach {
				if s.Programs[a.Program] == nil {
					t.Errorf("%s: no program %s", h.Name, a.Program)
				}
			}
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"-4", "-6"}, {"0"}, {"1", "0"}, {"1", "2", "3"}, {"x"}, {"-z"}, {"--btf"}} {
		var out, errb strings.Builder
		status := Applet.Exec(context.Background(), args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		if status != 2 || !strings.HasPrefix(errb.String(), "tcpsynbl: ") || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("%q: status %d, stderr %q; want 2 and one tcpsynbl: line", args, status, errb.String())
		}
	}
}

// TestLiveFunctionProgramsVerify: the kprobe programs (and fentry where
// the kernel allows it) pass the verifier here, even where they cannot
// attach.
func TestLiveFunctionProgramsVerify(t *testing.T) {
	livetest.Require(t)
	s, err := spec()
	if err != nil {
		t.Fatal(err)
	}
	fentry := attach.Running.Supports(attach.Fentry) == nil
	keep := map[string]bool{"kprobe_v4": true, "kprobe_v6": true, "fentry_v4": fentry, "fentry_v6": fentry}
	for name := range s.Programs {
		if !keep[name] {
			delete(s.Programs, name)
		}
	}
	coll, err := ebpf.NewCollection(s)
	if err != nil {
		t.Fatalf("loading %v: %v", keep, err)
	}
	coll.Close()
}
