package mountsnoop

import (
	"encoding/binary"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/mountsnoop"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/internal/golden"
	"golang.org/x/sys/unix"
)

func TestLayout(t *testing.T) {
	var e bpfobj.MountsnoopMountEvent
	if unsafe.Sizeof(e) != eventSize || unsafe.Offsetof(e.Comm) != 64 || unsafe.Offsetof(e.Str) != headerSize || unsafe.Offsetof(e.Int0) != 48 {
		t.Fatal("struct mount_event differs from the decoder's layout")
	}
}

type fields struct {
	op, attr         uint32
	flags            uint64
	ret              int32
	int0, int1, int2 int32
	str              [4]string
	comm             string
}

func sample(f fields) []byte {
	b := make([]byte, eventSize)
	ne := binary.NativeEndian
	ne.PutUint64(b[0:], 1_000_000)
	ne.PutUint64(b[8:], 125_000)
	ne.PutUint64(b[16:], f.flags)
	ne.PutUint32(b[24:], 700)
	ne.PutUint32(b[28:], 701)
	ne.PutUint32(b[32:], 4026531841)
	ne.PutUint32(b[36:], uint32(f.ret))
	ne.PutUint32(b[40:], f.op)
	ne.PutUint32(b[44:], f.attr)
	ne.PutUint32(b[48:], uint32(f.int0))
	ne.PutUint32(b[52:], uint32(f.int1))
	ne.PutUint32(b[56:], uint32(f.int2))
	copy(b[64:80], f.comm)
	for i, s := range f.str {
		copy(b[headerSize+i*strLen:], s)
	}
	return b
}

var samples = [][]byte{
	sample(fields{op: opMount, flags: unix.MS_NOSUID | unix.MS_NODEV, str: [4]string{"tmpfs", "/mnt/x", "tmpfs", "size=1m"}, comm: "mount"}),
	sample(fields{op: opMount, flags: unix.MS_BIND | unix.MS_REC, ret: -2, str: [4]string{"/missing", "/mnt/y", "", ""}, comm: "mount"}),
	sample(fields{op: opUmount, flags: unix.MNT_DETACH, str: [4]string{"/mnt/x"}, comm: "umount"}),
	sample(fields{op: opFsopen, flags: unix.FSOPEN_CLOEXEC, ret: 3, str: [4]string{"tmpfs"}, comm: "runc"}),
	sample(fields{op: opFsconfig, int0: 3, int1: unix.FSCONFIG_SET_STRING, str: [4]string{"size", "2m"}, comm: "runc"}),
	sample(fields{op: opFsmount, int0: 3, flags: unix.FSMOUNT_CLOEXEC, attr: unix.MOUNT_ATTR_NOSUID | unix.MOUNT_ATTR_RDONLY, ret: 4, comm: "runc"}),
	sample(fields{op: opMoveMount, int0: 4, int1: unix.AT_FDCWD, flags: unix.MOVE_MOUNT_F_EMPTY_PATH, str: [4]string{"", "/run/x"}, comm: "runc"}),
	sample(fields{op: opMount, str: [4]string{"evil\x1b[2J", "/mnt/\"q\"\n", "tmpfs", ""}, comm: "x\x07y"}),
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 12, 1, 21, 4, 5, 0, time.Local)
	for _, tt := range []struct {
		name string
		cfg  config
	}{
		{"default", config{}},
		{"timestamp", config{timestamp: true}},
		{"detailed", config{detailed: true}},
		{"json", config{json: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := newPrinter(&tt.cfg)
			p.now = func() time.Time { return fixed }
			var out strings.Builder
			if !tt.cfg.json && !tt.cfg.detailed {
				out.Write(p.header())
			}
			var ev event
			for _, s := range samples {
				if err := ev.decode(s); err != nil {
					t.Fatal(err)
				}
				out.Write(p.format(&ev))
			}
			golden.Check(t, tt.name, out.String())
			if tt.cfg.json {
				golden.JSONLines(t, out.String())
			}
			if strings.ContainsAny(out.String(), "\x1b\x07") {
				t.Error("a control byte reached the output")
			}
		})
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-p", "0"}, {"-p", "x"}, {"--bogus"}, {"extra"}} {
		var out, errb strings.Builder
		status := Applet.Exec(t.Context(), args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		if status != 2 || strings.Count(strings.TrimSpace(errb.String()), "\n") > 1 {
			t.Errorf("%q: status %d, stderr %q", args, status, errb.String())
		}
	}
}
