package biopattern

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
)

const wait = 20 * time.Second

func TestMain(m *testing.M) { livetest.Main(m) }

type jsonDisk struct {
	Disk          string `json:"disk"`
	RandomPct     uint64 `json:"random_pct"`
	SequentialPct uint64 `json:"sequential_pct"`
	Count         uint64 `json:"count"`
	Kbytes        uint64 `json:"kbytes"`
	Random        uint64 `json:"random"`
	Sequential    uint64 `json:"sequential"`
	Bytes         uint64 `json:"bytes"`
}

type jsonSummary struct {
	Summary    int               `json:"summary"`
	Time       string            `json:"time"`
	Disks      []jsonDisk        `json:"disks"`
	NotCounted map[string]uint64 `json:"not_counted"`
}

func start(t *testing.T, args ...string) *livetest.Tool {
	t.Helper()
	livetest.Require(t)
	tool := livetest.Start(t, Applet, append([]string{"-v"}, args...)...)
	if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("biopattern did not start; stderr:\n%s", strings.Join(tool.Stderr(), "\n"))
	}
	return tool
}

func disksAtStop(t *testing.T, tool *livetest.Tool) map[string]jsonDisk {
	t.Helper()
	if status := tool.Stop(); status != 0 {
		t.Fatalf("exit status %d; stderr:\n%s", status, strings.Join(tool.Stderr(), "\n"))
	}
	out := tool.Stdout()
	if len(out) != 1 {
		t.Fatalf("want one summary at Ctrl-C, got %q", out)
	}
	dec := json.NewDecoder(strings.NewReader(out[0]))
	dec.DisallowUnknownFields()
	var s jsonSummary
	if err := dec.Decode(&s); err != nil {
		t.Fatalf("%q: %v", out[0], err)
	}
	m := map[string]jsonDisk{}
	for _, d := range s.Disks {
		m[d.Disk] = d
	}
	return m
}

// TestLivePattern: on every hook candidate, 16 O_DIRECT writes one after
// the other from sector 0 on one loop device are 100 % sequential, and 16
// writes in descending, gapped order on a second one are 100 % random;
// -d shows the first disk only.
func TestLivePattern(t *testing.T) {
	for _, tc := range []struct{ disable, hook string }{
		{"", "using tp_btf block_rq_complete"},
		{"tp_btf", "using raw_tracepoint block_rq_complete"},
		{"tp_btf,raw_tracepoint", "using tracepoint block:block_rq_complete"},
	} {
		t.Run("disable="+tc.disable, func(t *testing.T) {
			if tc.disable != "" && livetest.RerunFresh(t, "PROBEBOX_DISABLE="+tc.disable) {
				return
			}
			t.Setenv("PROBEBOX_DISABLE", tc.disable)
			seq := livetest.LoopDevice(t, 16<<20)
			rnd := livetest.LoopDevice(t, 16<<20)
			all := start(t, "--json")
			one := start(t, "--json", "-d", seq.Name)
			for i := 0; i < 16; i++ {
				seq.WriteDirect(t, int64(i)*8192, 8192)
			}
			for i := 15; i >= 0; i-- {
				rnd.WriteDirect(t, int64(i)<<16, 4096)
			}
			got := disksAtStop(t, all)
			if !strings.Contains(strings.Join(all.Stderr(), "\n"), tc.hook) {
				t.Errorf("-v does not say %q:\n%s", tc.hook, strings.Join(all.Stderr(), "\n"))
			}
			want := map[string]jsonDisk{
				seq.Name: {Disk: seq.Name, SequentialPct: 100, Count: 16, Kbytes: 128, Sequential: 16, Bytes: 128 << 10},
				rnd.Name: {Disk: rnd.Name, RandomPct: 100, Count: 16, Kbytes: 64, Random: 16, Bytes: 64 << 10},
			}
			for name, w := range want {
				if got[name] != w {
					t.Errorf("%s: %+v, want %+v", name, got[name], w)
				}
			}
			only := disksAtStop(t, one)
			if len(only) != 1 || only[seq.Name] != want[seq.Name] {
				t.Errorf("-d %s: %+v", seq.Name, only)
			}
		})
	}
}

// TestLiveText: "-T -e -d DISK 1 1" prints the header and libbpf-tools'
// line for the disk, and ends.
func TestLiveText(t *testing.T) {
	loop := livetest.LoopDevice(t, 16<<20)
	tool := start(t, "-T", "-e", "-d", loop.Name, "1", "1")
	for i := 0; i < 4; i++ {
		loop.WriteDirect(t, int64(i)*4096, 4096)
	}
	if status, exited := tool.Exited(wait); !exited || status != 0 {
		t.Fatalf("exited %v status %d", exited, status)
	}
	out := tool.Stdout()
	if len(out) != 3 || out[1] != "TIME      DISK     %RND  %SEQ    COUNT     KBYTES   RANDOM SEQUENTIAL  AVGKB" {
		t.Fatalf("output:\n%s", strings.Join(out, "\n"))
	}
	fields := strings.Fields(out[2])
	if len(fields) != 9 || fields[1] != loop.Name || fields[2] != "0" || fields[3] != "100" || fields[4] != "4" || fields[5] != "16" || fields[8] != "4.0" {
		t.Errorf("line %q: want %s 0 %% random, 100 %% sequential, 4 I/Os, 16 KiB, 4.0 KiB each", out[2], loop.Name)
	}
}
