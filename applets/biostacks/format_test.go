package biostacks

import (
	"bytes"
	"encoding/binary"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/biostacks"
	"github.com/probebox/probebox/core/blockdev"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var k bpfobj.BiostacksBiostacksKey
	var h bpfobj.BiostacksBiostacksHist
	if unsafe.Sizeof(k) != keySize || unsafe.Offsetof(k.Comm) != 12 || unsafe.Sizeof(h) != valueSize {
		t.Errorf("key %d hist %d", unsafe.Sizeof(k), unsafe.Sizeof(h))
	}
}

func mustEntry(t *testing.T, pid, dev uint32, comm string, slots map[int]uint32, frames ...string) entry {
	k := make([]byte, keySize)
	binary.NativeEndian.PutUint32(k, pid)
	binary.NativeEndian.PutUint32(k[4:], dev)
	copy(k[12:], comm)
	v := make([]byte, valueSize)
	for i, n := range slots {
		binary.NativeEndian.PutUint32(v[i*4:], n)
	}
	e, err := decodeEntry(k, v)
	if err != nil {
		t.Fatal(err)
	}
	e.frames = frames
	return e
}

func TestFormatGolden(t *testing.T) {
	names := func(dev uint32) (string, bool) { return "loop0", dev == blockdev.MkDev(7, 0) }
	es := []entry{
		mustEntry(t, 2437, blockdev.MkDev(7, 0), "dd", map[int]uint32{6: 100, 7: 3}, "blk_mq_submit_bio", "__submit_bio", "submit_bio_noacct_nocheck", "blkdev_direct_IO"),
		mustEntry(t, 5, blockdev.MkDev(8, 1), "a-very-long-name\x1b", map[int]uint32{2: 1}),
	}
	for _, tc := range []struct {
		name string
		cfg  config
	}{{"text", config{}}, {"ms", config{millis: true}}, {"json", config{json: true}}} {
		p := printer{cfg: &tc.cfg, names: names}
		var out bytes.Buffer
		p.print(&out, es, []loader.Dropped{{Bounded: loader.Bounded{Map: "hists"}}})
		golden.Check(t, tc.name, out.String())
		if tc.cfg.json {
			golden.JSONLines(t, out.String())
		}
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"0"}, {"x"}, {"1", "2"}, {"-d", "no-such-disk-pbx"}, {"--bogus"}} {
		tool := livetest.Start(t, Applet, args...)
		status, exited := tool.Exited(10 * time.Second)
		if !exited || status != 2 || len(tool.Stderr()) == 0 {
			t.Errorf("%q: exited %v status %d stderr %q", args, exited, status, tool.Stderr())
		}
	}
}
