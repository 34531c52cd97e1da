package wakeuptime

import (
	"encoding/binary"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/wakeuptime"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/core/stacks"
)

func TestLayout(t *testing.T) {
	var k bpfobj.WakeuptimeWakeuptimeKey
	if size := unsafe.Sizeof(k); size != keySize {
		t.Errorf("key is %d bytes, decoder assumes %d", size, keySize)
	}
	if unsafe.Offsetof(k.W_kernelStackId) != 12 || unsafe.Offsetof(k.Waker) != 16 || unsafe.Offsetof(k.Target) != 32 {
		t.Error("key offsets differ from the decoder's")
	}
}

func TestDecode(t *testing.T) {
	b := make([]byte, keySize)
	binary.NativeEndian.PutUint32(b, 10)
	binary.NativeEndian.PutUint32(b[4:], 20)
	binary.NativeEndian.PutUint32(b[8:], 3)
	binary.NativeEndian.PutUint32(b[12:], 4)
	copy(b[16:], "waker")
	copy(b[32:], "target")
	w, tg := decode(b)
	if w != (stacks.Key{PID: 10, Comm: "waker", UserID: 3, KernelID: 4}) || tg.PID != 20 || tg.Comm != "target" || tg.UserID != stacks.NotCollected {
		t.Errorf("%+v %+v", w, tg)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"-U", "-K"}, {"-m", "10", "-M", "1"}, {"-p", "0"}, {"-f", "--json"}, {"0"}, {"1", "2"}, {"--stack-storage-size", "0"}} {
		tool := livetest.Start(t, Applet, args...)
		status, exited := tool.Exited(10 * time.Second)
		if !exited || status != 2 || len(tool.Stderr()) != 1 {
			t.Errorf("%q: exited %v status %d, stderr %q", args, exited, status, tool.Stderr())
		}
	}
}

func TestHelp(t *testing.T) {
	var b strings.Builder
	Applet.WriteHelp(&b)
	for _, want := range []string{"-p, --pid PID", "-U, --user-stacks-only", "-K, --kernel-stacks-only", "-f, --folded", "-m, --min-block-time", "-M, --max-block-time", "Examples:"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("help lacks %q", want)
		}
	}
}
