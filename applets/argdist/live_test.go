package argdist

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/livetest"
	"github.com/probebox/probebox/internal/funcs"
	"github.com/probebox/probebox/internal/functest"
)

func TestMain(m *testing.M) { functest.Main(m) }

type jsonSummary struct {
	Counts []struct{ Value, Count int64 } `json:"counts"`
	Hist   *struct {
		Buckets []struct{ Low, High, Count uint64 } `json:"buckets"`
	} `json:"hist"`
}

func start(t *testing.T, args ...string) *livetest.Tool {
	t.Helper()
	livetest.Require(t)
	tool := livetest.Start(t, Applet, append([]string{"-v", "--json", "-i", "1000"}, args...)...)
	for deadline := time.Now().Add(wait); !strings.Contains(strings.Join(tool.Stderr(), "\n"), "tracing;"); {
		if status, ended := tool.Exited(50 * time.Millisecond); ended || time.Now().After(deadline) {
			t.Fatalf("argdist %q did not start (ended %v, status %d); stderr:\n%s", args, ended, status, strings.Join(tool.Stderr(), "\n"))
		}
	}
	return tool
}

func takeSummary(t *testing.T, tool *livetest.Tool) jsonSummary {
	t.Helper()
	if status := tool.Stop(); status != 0 {
		t.Fatalf("status %d; stderr %q", status, tool.Stderr())
	}
	out := tool.Stdout()
	var s jsonSummary
	if len(out) != 1 || json.Unmarshal([]byte(out[0]), &s) != nil {
		t.Fatalf("want one summary, got %q", out)
	}
	return s
}

func counts(s jsonSummary) map[int64]int64 {
	m := map[int64]int64{}
	for _, c := range s.Counts {
		m[c.Value] = c.Count
	}
	return m
}

// readSizes makes the test's own read() calls: 10 of 100 bytes, 5 of
// 5000 bytes.
func readSizes(t *testing.T) {
	t.Helper()
	f, err := os.Open("/dev/zero")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 5000)
	for range 10 {
		f.Read(buf[:100])
	}
	for range 5 {
		f.Read(buf)
	}
}

// TestLiveTracepointField: read sizes counted exactly with -C, and a
// filtered histogram with -H holds only the 5000-byte reads. The filter
// is exact: the test process also reads its tools' output pipes (4 KiB
// and 32 KiB reads), which a "> 1000" filter let into the histogram.
func TestLiveTracepointField(t *testing.T) {
	self := strconv.Itoa(os.Getpid())
	c := start(t, "-p", self, "-C", "t:syscalls:sys_enter_read():u64:args->count")
	h := start(t, "-p", self, "-H", "t:syscalls:sys_enter_read():u64:args->count:args->count==5000")
	readSizes(t)
	got := counts(takeSummary(t, c))
	if got[100] != 10 || got[5000] != 5 {
		t.Errorf("-C read sizes %v, want 100: 10 and 5000: 5", got)
	}
	s := takeSummary(t, h)
	var n uint64
	for _, b := range s.Hist.Buckets {
		n += b.Count
		if b.Count > 0 && b.Low != 4096 {
			t.Errorf("-H filtered: %d reads in %d -> %d", b.Count, b.Low, b.High)
		}
	}
	if n != 5 {
		t.Errorf("-H filtered: %d reads, want the 5 of 5000 bytes", n)
	}
}

// TestLiveReturnValues: a uretprobe on functest.Target (10 calls returning
// 2i+1; Go returns its first result in the C return register) counts each
// value once; the filter $retval>10 keeps 11..19.
func TestLiveReturnValues(t *testing.T) {
	a := functest.Start(t, "adist", "call", 10)
	spec := "r:" + a.Path + ":" + functest.TargetSymbol + "():u64:$retval"
	all := start(t, "-p", strconv.Itoa(a.PID), "-C", spec)
	big := start(t, "-p", strconv.Itoa(a.PID), "-C", spec+":$retval>10")
	a.Go(t)
	got, gotBig := counts(takeSummary(t, all)), counts(takeSummary(t, big))
	for i := int64(0); i < 10; i++ {
		if got[2*i+1] != 1 {
			t.Errorf("value %d counted %d times: %v", 2*i+1, got[2*i+1], got)
		}
		if want := map[bool]int64{true: 1, false: 0}[2*i+1 > 10]; gotBig[2*i+1] != want {
			t.Errorf("filtered: value %d counted %d times, want %d", 2*i+1, gotBig[2*i+1], want)
		}
	}
}

// TestLiveKernelArgument: where kprobes exist, vfs_read's count argument
// is the test's read sizes; on the host, one line and status 1.
func TestLiveKernelArgument(t *testing.T) {
	livetest.Require(t)
	spec := "p::vfs_read(struct file *file, char *buf, size_t count):size_t:count"
	if err := funcs.KernelProbes(attach.Running); err != nil {
		tool := livetest.Start(t, Applet, "-C", spec)
		status, _ := tool.Exited(wait)
		if errs := tool.Stderr(); status != 1 || len(errs) != 1 || !strings.Contains(errs[0], "kernel functions need kprobes or fentry") {
			t.Errorf("status %d, stderr %q: want exit 1 and one line", status, errs)
		}
		return
	}
	tool := start(t, "-p", strconv.Itoa(os.Getpid()), "-C", spec)
	readSizes(t)
	if got := counts(takeSummary(t, tool)); got[100] != 10 || got[5000] != 5 {
		t.Errorf("vfs_read count %v, want 100: 10 and 5000: 5", got)
	}
}
