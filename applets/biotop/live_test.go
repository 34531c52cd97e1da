package biotop

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
)

const wait = 60 * time.Second // tool start under TCG in the kernel matrix can be slow

func TestMain(m *testing.M) { livetest.Main(m) }

type jsonRow struct {
	PID    uint32  `json:"pid"`
	Comm   string  `json:"comm"`
	D      string  `json:"d"`
	Major  uint32  `json:"major"`
	Minor  uint32  `json:"minor"`
	Disk   string  `json:"disk"`
	IO     uint64  `json:"io"`
	Bytes  uint64  `json:"bytes"`
	Kbytes uint64  `json:"kbytes"`
	AvgMs  float64 `json:"avg_ms"`
}

type jsonScreen struct {
	Time       string            `json:"time"`
	Loadavg    string            `json:"loadavg"`
	Rows       []jsonRow         `json:"rows"`
	NotCounted map[string]uint64 `json:"not_counted"`
}

func start(t *testing.T, args ...string) *livetest.Tool {
	t.Helper()
	livetest.Require(t)
	tool := livetest.Start(t, Applet, append([]string{"-v"}, args...)...)
	if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("biotop did not start; stderr:\n%s", strings.Join(tool.Stderr(), "\n"))
	}
	return tool
}

// screens stops the tool and returns every JSON screen it printed.
func screens(t *testing.T, tool *livetest.Tool) []jsonScreen {
	t.Helper()
	if status := tool.Stop(); status != 0 {
		t.Fatalf("exit status %d; stderr:\n%s", status, strings.Join(tool.Stderr(), "\n"))
	}
	var out []jsonScreen
	for _, l := range tool.Stdout() {
		dec := json.NewDecoder(strings.NewReader(l))
		dec.DisallowUnknownFields()
		var s jsonScreen
		if err := dec.Decode(&s); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		out = append(out, s)
	}
	return out
}

type tally struct{ io, bytes uint64 }

// sum adds up the rows of one process on one disk, by direction.
func sum(ss []jsonScreen, pid uint32, disk string) map[string]tally {
	m := map[string]tally{}
	for _, s := range ss {
		for _, r := range s.Rows {
			if r.PID == pid && r.Disk == disk {
				x := m[r.D+" "+r.Comm]
				x.io += r.IO
				x.bytes += r.Bytes
				m[r.D+" "+r.Comm] = x
			}
		}
	}
	return m
}

// TestLiveProcessBytes: on every hook candidate, biotop shows the test's
// PID and the helper's with the reads and writes each made on a loop
// device, in the right direction and bytes; -p keeps the helper out.
func TestLiveProcessBytes(t *testing.T) {
	for _, tc := range []struct{ disable, hook string }{
		{"", "using tp_btf block_rq_insert + tp_btf block_rq_issue + tp_btf block_rq_complete"},
		{"tp_btf", "using raw_tracepoint block_rq_insert + raw_tracepoint block_rq_issue + raw_tracepoint block_rq_complete"},
		{"tp_btf,raw_tracepoint", "using tracepoint block:block_rq_insert + tracepoint block:block_rq_issue + tracepoint block:block_rq_complete"},
	} {
		t.Run("disable="+tc.disable, func(t *testing.T) {
			if tc.disable != "" && livetest.RerunFresh(t, "PROBEBOX_DISABLE="+tc.disable) {
				return
			}
			t.Setenv("PROBEBOX_DISABLE", tc.disable)
			loop := livetest.LoopDevice(t, 16<<20)
			self := uint32(os.Getpid())
			all := start(t, "--json", "-r", "10240", "1")
			mine := start(t, "--json", "-p", strconv.Itoa(int(self)), "1")
			for i := 0; i < 6; i++ {
				loop.WriteDirect(t, int64(i)<<12, 4096)
			}
			for i := 0; i < 3; i++ {
				loop.ReadDirect(t, 1<<20+int64(i)<<15, 32<<10)
			}
			helper := livetest.Helper(t, "pbxtop", "writedirect", loop.Path, strconv.Itoa(4<<20), strconv.Itoa(16<<10), "5")
			if out, err := helper.CombinedOutput(); err != nil {
				t.Fatalf("helper: %v %s", err, out)
			}
			hpid := uint32(helper.Process.Pid)
			time.Sleep(100 * time.Millisecond) // let the last completion land
			comm := livetest.SelfComm(t)
			want := map[string]tally{"W " + comm: {6, 6 * 4096}, "R " + comm: {3, 3 * 32 << 10}}
			ss := screens(t, mine)
			if !strings.Contains(strings.Join(mine.Stderr(), "\n"), tc.hook) {
				t.Errorf("-v does not say %q:\n%s", tc.hook, strings.Join(mine.Stderr(), "\n"))
			}
			if got := sum(ss, self, loop.Name); got["W "+comm] != want["W "+comm] || got["R "+comm] != want["R "+comm] {
				t.Errorf("-p %d on %s: %v, want %v", self, loop.Name, got, want)
			}
			for _, s := range ss {
				for _, r := range s.Rows {
					if r.PID != self {
						t.Errorf("-p %d shows %+v", self, r)
					}
				}
			}
			as := screens(t, all)
			if got := sum(as, hpid, loop.Name); got["W pbxtop"] != (tally{5, 5 * 16 << 10}) || len(got) != 1 {
				t.Errorf("helper %d on %s: %v, want 5 writes of 16 KiB", hpid, loop.Name, got)
			}
			if got := sum(as, self, loop.Name); got["W "+comm] != want["W "+comm] {
				t.Errorf("test %d on %s without -p: %v, want %v", self, loop.Name, got, want)
			}
			for _, r := range as[0].Rows {
				if r.Disk == loop.Name && (r.Major != loop.Major || r.Minor != loop.Minor) {
					t.Errorf("row %+v: %s is %d:%d", r, loop.Name, loop.Major, loop.Minor)
				}
			}
		})
	}
}

// TestLiveText: "-p SELF 1 2" (no -C) prints two screens of libbpf-tools' layout, with
// no escape codes on a pipe, and ends.
func TestLiveText(t *testing.T) {
	loop := livetest.LoopDevice(t, 16<<20)
	tool := start(t, "-p", strconv.Itoa(os.Getpid()), "1", "2")
	for i := 0; i < 4; i++ {
		loop.WriteDirect(t, int64(i)<<12, 4096)
	}
	if status, exited := tool.Exited(wait); !exited || status != 0 {
		t.Fatalf("exited %v status %d", exited, status)
	}
	out := strings.Join(tool.Stdout(), "\n")
	if strings.Count(out, "PID     COMM             D MAJ MIN DISK       I/O  Kbytes  AVGms") != 2 {
		t.Errorf("want two screens:\n%s", out)
	}
	if strings.Contains(out, "\x1b") {
		t.Errorf("escape codes on a pipe:\n%q", out)
	}
	if !strings.Contains(out, " loadavg: ") || !strings.Contains(out, strconv.Itoa(os.Getpid())+" ") || !strings.Contains(out, fmt.Sprintf(" %-16s W %-3d", livetest.SelfComm(t), loop.Major)) {
		t.Errorf("no loadavg line or no row of this test's writes on %s:\n%s", loop.Name, out)
	}
}
