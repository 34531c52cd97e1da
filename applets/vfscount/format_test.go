package vfscount

import (
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/vfscount"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/syms"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var k bpfobj.VfscountVfscountKey
	if unsafe.Sizeof(k) != keySize || unsafe.Offsetof(k.Idx) != 8 {
		t.Errorf("key %d bytes", unsafe.Sizeof(k))
	}
}

const kallsyms = `ffffffff81400000 T vfs_read
ffffffff81400200 T vfs_write
ffffffff81401000 T vfs_open
ffffffff81402000 T vfs_fsync_range
`

func mustKey(t *testing.T, ip uint64, idx uint32, n uint64) key {
	k := make([]byte, keySize)
	binary.NativeEndian.PutUint64(k, ip)
	binary.NativeEndian.PutUint32(k[8:], idx)
	v := make([]byte, 8)
	binary.NativeEndian.PutUint64(v, n)
	c, err := decode(k, v)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFormatGolden(t *testing.T) {
	ks, err := syms.ParseKallsyms(strings.NewReader(kallsyms))
	if err != nil {
		t.Fatal(err)
	}
	kprobe := []key{mustKey(t, 0xffffffff81400000, 0, 3076), mustKey(t, 0xffffffff81401000, 0, 12), mustKey(t, 0xffffffff81400200, 0, 1014), mustKey(t, 0x1234, 0, 1)}
	standIn := []key{mustKey(t, 0, 1, 3076), mustKey(t, 0, 7, 4), mustKey(t, 0, 6, 9)}
	dropped := []loader.Dropped{{Bounded: loader.Bounded{Map: "counts"}}}
	for name, out := range map[string][]byte{
		"kprobe":       format(nil, resolve(kprobe, ks), false, dropped),
		"standin":      format(nil, resolve(standIn, ks), false, dropped),
		"standin_json": format(nil, resolve(standIn, ks), true, dropped),
		"nosyms":       format(nil, resolve(kprobe, nil), false, dropped),
	} {
		golden.Check(t, name, string(out))
	}
}

func TestColumns(t *testing.T) {
	got := string(format(nil, []row{{0xffffffff81400000, "vfs_read", 42}}, false, nil))
	want := fmt.Sprintf("\n%-16s %-26s %8s\n%-16x %-26s %8d\n", "ADDR", "FUNC", "COUNT", uint64(0xffffffff81400000), "vfs_read", 42)
	if got != want {
		t.Errorf("got %q want %q", got, want)
	}
}

func TestHooks(t *testing.T) {
	s, err := spec()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range Hooks[0].Candidates {
		for _, a := range c.Attach {
			if _, ok := s.Programs[a.Program]; !ok {
				t.Errorf("no program %s", a.Program)
			}
		}
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"1"}, {"-p", "0"}, {"--bogus"}} {
		tool := livetest.Start(t, Applet, args...)
		status, exited := tool.Exited(10 * time.Second)
		if !exited || status != 2 || len(tool.Stderr()) == 0 {
			t.Errorf("%q: exited %v status %d stderr %q", args, exited, status, tool.Stderr())
		}
	}
}
