package biosnoop

import (
	"encoding/json"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/probebox/probebox/core/livetest"
)

const wait = 20 * time.Second

func TestMain(m *testing.M) { livetest.Main(m) }

type jsonEvent struct {
	TimestampNs uint64  `json:"timestamp_ns"`
	Time        string  `json:"time"`
	TimeS       float64 `json:"time_s"`
	Comm        string  `json:"comm"`
	PID         int     `json:"pid"`
	Disk        string  `json:"disk"`
	Dev         string  `json:"dev"`
	Type        string  `json:"type"`
	Flags       string  `json:"flags"`
	Sector      int64   `json:"sector"`
	Bytes       uint64  `json:"bytes"`
	QueNs       *int64  `json:"que_ns"`
	LatNs       uint64  `json:"lat_ns"`
}

func parse(t *testing.T, line string) jsonEvent {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(line))
	dec.DisallowUnknownFields()
	var e jsonEvent
	if err := dec.Decode(&e); err != nil {
		t.Fatalf("line %q is not a biosnoop event: %v", line, err)
	}
	return e
}

// start runs biosnoop with args and waits until it is attached.
func start(t *testing.T, args ...string) *livetest.Tool {
	t.Helper()
	livetest.Require(t)
	tool := livetest.Start(t, Applet, append([]string{"-v"}, args...)...)
	if _, ok := tool.WaitStderr(t, wait, func(l string) bool { return strings.Contains(l, "tracing;") }); !ok {
		t.Fatalf("biosnoop did not start; stderr:\n%s", strings.Join(tool.Stderr(), "\n"))
	}
	return tool
}

// waitIO waits for the JSON event of the test's own I/O of the given kind
// ('R' or 'W'), size and sector on loop.
func waitIO(t *testing.T, tool *livetest.Tool, loop *livetest.Loop, kind byte, bytes, sector uint64) (jsonEvent, bool) {
	t.Helper()
	var found jsonEvent
	_, ok := tool.WaitStdout(t, wait, func(l string) bool {
		e := parse(t, l)
		if e.Disk == loop.Name && strings.IndexByte(e.Type, kind) >= 0 && e.Bytes == bytes && e.Sector == int64(sector) {
			found = e
			return true
		}
		return false
	})
	return found, ok
}

// checkOwnIO does a write and a read on a fresh loop device and checks
// biosnoop (started with extra args) reports both as the test's own.
func checkOwnIO(t *testing.T, args ...string) {
	loop := livetest.LoopDevice(t, 16<<20)
	tool := start(t, append([]string{"--json", "-Q"}, args...)...)
	loop.WriteDirect(t, 0, 8192)
	loop.ReadDirect(t, 1<<20, 4096)
	for _, want := range []struct {
		kind          byte
		bytes, sector uint64
	}{{'W', 8192, 0}, {'R', 4096, (1 << 20) / 512}} {
		e, ok := waitIO(t, tool, loop, want.kind, want.bytes, want.sector)
		if !ok {
			t.Fatalf("no %c of %d bytes at sector %d on %s:\n%s", want.kind, want.bytes, want.sector, loop.Name, strings.Join(tool.Stdout(), "\n"))
		}
		if e.PID != os.Getpid() {
			t.Errorf("%c on %s: pid %d, want the test's %d (%+v)", want.kind, loop.Name, e.PID, os.Getpid(), e)
		}
		if e.Dev != strconv.Itoa(int(loop.Major))+":"+strconv.Itoa(int(loop.Minor)) || e.LatNs == 0 || e.QueNs == nil {
			t.Errorf("%c on %s: %+v", want.kind, loop.Name, e)
		}
	}
}

// TestLiveOwnIO: on every hook candidate, the test's O_DIRECT write and
// read on its loop device show up with its PID, R/W and their sizes.
func TestLiveOwnIO(t *testing.T) {
	for _, tc := range []struct{ disable, hook string }{
		{"", "using tp_btf block_io_start + tp_btf block_rq_insert + tp_btf block_rq_issue + tp_btf block_rq_complete"},
		{"tp_btf", "using raw_tracepoint block_io_start + raw_tracepoint block_rq_insert"},
		{"tp_btf,raw_tracepoint", "using tracepoint block:block_io_start + tracepoint block:block_rq_insert"},
	} {
		t.Run("disable="+tc.disable, func(t *testing.T) {
			if tc.disable != "" && livetest.RerunFresh(t, "PROBEBOX_DISABLE="+tc.disable) {
				return
			}
			t.Setenv("PROBEBOX_DISABLE", tc.disable)
			checkOwnIO(t)
		})
	}
}

// TestLiveDiskFilter: -d keeps only that disk: I/O on a second loop
// device, done before the sentinel I/O on the first, never shows.
func TestLiveDiskFilter(t *testing.T) {
	a := livetest.LoopDevice(t, 16<<20)
	b := livetest.LoopDevice(t, 16<<20)
	tool := start(t, "--json", "-d", a.Name)
	b.WriteDirect(t, 0, 4096)
	b.ReadDirect(t, 0, 4096)
	a.WriteDirect(t, 4096, 4096)
	if _, ok := waitIO(t, tool, a, 'W', 4096, 8); !ok {
		t.Fatalf("no write on %s:\n%s", a.Name, strings.Join(tool.Stdout(), "\n"))
	}
	for _, l := range tool.Stdout() {
		if e := parse(t, l); e.Disk != a.Name {
			t.Errorf("-d %s let through I/O on %s: %s", a.Name, e.Disk, l)
		}
	}
}

// TestLiveText: the header and a line of the test's own write in text
// mode, with -Q's extra column and -t's clock.
func TestLiveText(t *testing.T) {
	loop := livetest.LoopDevice(t, 16<<20)
	tool := start(t, "-Q", "-t", "-d", loop.Name)
	loop.WriteDirect(t, 0, 4096)
	// TIMESTAMP    COMM           PID     DISK    T    SECTOR     BYTES   QUE(ms) LAT(ms)
	want := regexp.MustCompile(`^\d\d:\d\d:\d\d\.\d{3} .{14} ` + strconv.Itoa(os.Getpid()) + ` *` +
		regexp.QuoteMeta(loop.Name) + ` +W\S* +0 +4096 +[ -]\d+\.\d{3} +\d+\.\d{3}$`)
	if _, ok := tool.WaitStdout(t, wait, want.MatchString); !ok {
		t.Fatalf("no line matching %s:\n%s", want, strings.Join(tool.Stdout(), "\n"))
	}
	header := "TIMESTAMP    COMM           PID     DISK    T    SECTOR     BYTES   QUE(ms) LAT(ms)"
	if out := tool.Stdout(); out[0] != header {
		t.Errorf("header\n%q, want\n%q", out[0], header)
	}
}

// TestLiveMinLatency: -m 100000 (100 s) hides the test's fast write that
// an unfiltered biosnoop running alongside reports.
func TestLiveMinLatency(t *testing.T) {
	loop := livetest.LoopDevice(t, 16<<20)
	slowOnly := start(t, "--json", "-m", "100000", "-d", loop.Name)
	all := start(t, "--json", "-d", loop.Name)
	loop.WriteDirect(t, 0, 4096)
	if _, ok := waitIO(t, all, loop, 'W', 4096, 0); !ok {
		t.Fatal("the unfiltered biosnoop missed the write")
	}
	slowOnly.Stop()
	if out := slowOnly.Stdout(); len(out) != 0 {
		t.Errorf("-m 100000 showed %q", out)
	}
}

// TestLiveDuration: "1" ends by itself with status 0.
func TestLiveDuration(t *testing.T) {
	tool := start(t, "1")
	if status, exited := tool.Exited(wait); !exited || status != 0 {
		t.Fatalf("biosnoop 1: exited %v status %d", exited, status)
	}
}

// TestLiveFullRequests: a map of requests in flight too small for them
// (shrunk through requestsEntries: the applet runs in this process) is
// reported on stderr. Each 4 MiB write is split in requests in flight
// together.
func TestLiveFullRequests(t *testing.T) {
	requestsEntries = 1
	t.Cleanup(func() { requestsEntries = 0 })
	loop := livetest.LoopDevice(t, 16<<20)
	tool := start(t, "--json", "-d", loop.Name)
	for i := 0; i < 4; i++ {
		loop.WriteDirect(t, int64(i)<<22, 4<<20)
	}
	line, ok := tool.WaitStderr(t, wait, func(l string) bool {
		return strings.Contains(l, " I/O requests not counted: the requests map of 1 keys was full")
	})
	if !ok {
		t.Fatalf("no full-map report; stderr %q", tool.Stderr())
	}
	if n, err := strconv.Atoi(strings.Fields(line)[1]); err != nil || n <= 0 {
		t.Errorf("report %q: want a positive count", line)
	}
}

// TestLiveCgroup: -c shows the O_DIRECT writes of a helper process in a
// test cgroup, with its PID, and not the test's own, made before them on
// the same disk from outside the cgroup.
func TestLiveCgroup(t *testing.T) {
	loop := livetest.LoopDevice(t, 16<<20)
	cg := livetest.Cgroup(t, "biosnoop")
	tool := start(t, "--json", "-c", cg, "-d", loop.Name)
	loop.WriteDirect(t, 0, 8192)
	cmd := livetest.Helper(t, "pbxcgwrite", "wait", "writedirect", loop.Path, strconv.Itoa(1<<20), "4096", "1")
	pid := livetest.RunInCgroup(t, cmd, cg)
	e, ok := waitIO(t, tool, loop, 'W', 4096, (1<<20)/512)
	if !ok {
		t.Fatalf("no write of the helper in the cgroup:\n%s", strings.Join(tool.Stdout(), "\n"))
	}
	if e.PID != pid || e.Comm != "pbxcgwrite" {
		t.Errorf("the helper's write: %+v, want pid %d comm pbxcgwrite", e, pid)
	}
	for _, l := range tool.Stdout() {
		if e := parse(t, l); e.PID != pid {
			t.Errorf("-c let through I/O from outside the cgroup: %s", l)
		}
	}
}
