package cost

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestWatchWindow(t *testing.T) {
	t0 := time.Unix(0, 0)
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	w := &watch{limit: 5}
	w.restart()
	steps := []struct {
		x       sample
		ok      bool
		pct     float64
		comment string
	}{
		{sample{at(0.5), 0, 50 * time.Millisecond}, false, 0, "settling sample: starts the window"},
		{sample{at(1.5), 10 * time.Millisecond, 60 * time.Millisecond}, true, 2, "1 s window: 10 ms BPF + 10 ms CPU"},
		{sample{at(2.5), 110 * time.Millisecond, 60 * time.Millisecond}, true, 6, "2 s window: 110 ms BPF + 10 ms CPU over 2 s"},
		{sample{at(3.5), 110 * time.Millisecond, 60 * time.Millisecond}, true, 5, "2 s window slides: 100 ms over 2 s"},
		{sample{at(4.5), 110 * time.Millisecond, 60 * time.Millisecond}, true, 0, "idle"},
	}
	for _, s := range steps {
		pct, _, _, _, ok := w.add(s.x)
		if ok != s.ok || (ok && (pct < s.pct-0.01 || pct > s.pct+0.01)) {
			t.Errorf("%s: got %.3f%% (ok %v), want %.3f%% (ok %v)", s.comment, pct, ok, s.pct, s.ok)
		}
	}
}

func TestSummaryText(t *testing.T) {
	handled, lost, runs, ns, allocs := uint64(300), uint64(2), uint64(600), uint64(120000), uint64(75)
	sum := Summary{
		WallSeconds: 2, EventsHandled: &handled, EventsLost: &lost, MapInsertsRefused: 1, HeapAllocs: &allocs,
		BPFRunCount: &runs, BPFRunNs: &ns,
		Programs:  []ProgramSummary{{Name: "tp_enter", RunCount: 600, RunNs: 120000, NsPerRun: 200}},
		CPUUserNs: 3e6, CPUSystemNs: 1e6, CPUShare: 0.206,
	}
	var b bytes.Buffer
	sum.WriteText(&b, "opensnoop")
	want := `opensnoop: stats: 300 events handled, 2 lost, 1 map inserts refused
opensnoop: stats: 75 Go heap allocations while streaming (0.250 per event)
opensnoop: stats: BPF tp_enter: 600 runs, 120.0 µs, 200 ns/run
opensnoop: stats: BPF total: 600 runs, 120.0 µs
opensnoop: stats: probebox CPU: 4.000 ms (user 3.000 ms, system 1.000 ms)
opensnoop: stats: BPF and probebox used 0.21% of one CPU over 2.00 s
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	b.Reset()
	sum.BPFRunCount, sum.BPFRunNs, sum.Programs, sum.EventsHandled = nil, nil, nil, nil
	sum.Missing = []string{"BPF run count and run time: refused"}
	sum.WriteText(&b, "runqlat")
	for _, w := range []string{"events counted in BPF maps (none streamed)", "probebox alone (BPF unknown) used", "missing: BPF run count and run time: refused"} {
		if !strings.Contains(b.String(), w) {
			t.Errorf("missing %q in\n%s", w, b.String())
		}
	}
	b.Reset()
	sum.WriteJSON(&b)
	var got map[string]map[string]any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil || got["stats"]["missing"] == nil || got["stats"]["events_handled"] != nil {
		t.Errorf("JSON %s: %v", b.String(), err)
	}
}

// With no session, the hooks the loops call cost nothing and do nothing.
func TestNoSession(t *testing.T) {
	CountEvents(1, 1)
	CountRefused(1)
	Track(nil, func() { t.Error("detach called") })
	if current.Load() != nil {
		t.Error("a session appeared")
	}
}

func TestStartRefusesMaxCPUWithoutStats(t *testing.T) {
	t.Setenv("PROBEBOX_DISABLE", "bpf_stats")
	if _, err := Start(Options{Tool: "x", MaxCPU: 5}); err == nil || !strings.Contains(err.Error(), "--max-cpu 5: BPF run-time statistics unavailable") {
		t.Errorf("err %v", err)
	}
	s, err := Start(Options{Tool: "x"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.End()
	if sum := s.Summary(); len(sum.Missing) != 1 || sum.BPFRunNs != nil {
		t.Errorf("summary %+v: want the BPF figures named missing", sum)
	}
}

// A Window judges as the run's own --max-cpu does: over the limit only
// once two samples span the window.
func TestWindowOver(t *testing.T) {
	t0 := time.Unix(0, 0)
	w := NewWindow(5)
	if _, _, _, _, over := w.Add(t0, 0, 0); over {
		t.Error("one sample judged")
	}
	pct, bpf, _, span, over := w.Add(t0.Add(time.Second), 100*time.Millisecond, 0)
	if !over || pct < 9.99 || pct > 10.01 || bpf != pct || span != time.Second {
		t.Errorf("100 ms of BPF in 1 s: %.2f%% (bpf %.2f%%) over %v, over %v", pct, bpf, span, over)
	}
	w.Add(t0.Add(2*time.Second), 100*time.Millisecond, 0)
	if pct, _, _, _, over := w.Add(t0.Add(3*time.Second), 110*time.Millisecond, 0); over {
		t.Errorf("10 ms over the last 2 s judged over: %.2f%%", pct)
	}
}
