package offwaketime

import (
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/offwaketime"
	"github.com/probebox/probebox/core/livetest"
)

func TestLayout(t *testing.T) {
	var k bpfobj.OffwaketimeOffwaketimeKey
	if size := unsafe.Sizeof(k); size != keySize {
		t.Errorf("key is %d bytes, decoder assumes %d", size, keySize)
	}
	if unsafe.Offsetof(k.T_kernelStackId) != 20 || unsafe.Offsetof(k.Waker) != 24 || unsafe.Offsetof(k.Target) != 40 {
		t.Error("key offsets differ from the decoder's")
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"-U", "-K"}, {"-u", "-k"}, {"-m", "10", "-M", "1"}, {"-p", "0"}, {"-t", "0"}, {"-f", "--json"}, {"0"}, {"1", "2"}} {
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
	for _, want := range []string{"-p, --pid PID", "-t, --tid TID", "-u, --user-threads-only", "-k, --kernel-threads-only", "-U, --user-stacks-only", "-K, --kernel-stacks-only", "-f, --folded", "Examples:"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("help lacks %q", want)
		}
	}
}
