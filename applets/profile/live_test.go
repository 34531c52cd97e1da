package profile

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/pprof/profile"

	"github.com/probebox/probebox/core/livetest"
)

// burnEnv makes the test binary a helper burning CPU in
// profileBurnTarget, the function every profile must find.
const burnEnv = "PROBEBOX_PROFILE_BURN"

const burnSymbol = "profileBurnTarget"

func TestMain(m *testing.M) {
	if os.Getenv(burnEnv) != "" {
		for {
			profileBurnTarget(1 << 20)
		}
	}
	livetest.Main(m)
}

var sink uint64

//go:noinline
func profileBurnTarget(n int) {
	x := sink
	for i := 0; i < n; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	sink = x
}

// burner starts the helper and returns its PID.
func burner(t *testing.T) int {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), burnEnv+"=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd.Process.Pid
}

type jsonStack struct {
	PID     int      `json:"pid"`
	Comm    string   `json:"comm"`
	Samples uint64   `json:"samples"`
	Kernel  []string `json:"kernel"`
	User    []string `json:"user"`
	UMissed bool     `json:"user_missed"`
	KMissed bool     `json:"kernel_missed"`
}

type jsonProfile struct {
	Stacks     []jsonStack       `json:"stacks"`
	NotCounted map[string]uint64 `json:"not_counted"`
}

// finish waits for a run with a duration to end by itself.
func finish(t *testing.T, tl *livetest.Tool) []string {
	t.Helper()
	status, ok := tl.Exited(30 * time.Second)
	if !ok || status != 0 {
		t.Fatalf("profile did not end by itself with status 0 (ended %v, status %d): %q", ok, status, tl.Stderr())
	}
	return tl.Stdout()
}

func hasSymbol(frames []string) bool {
	for _, f := range frames {
		if strings.HasSuffix(f, "."+burnSymbol) {
			return true
		}
	}
	return false
}

// TestLiveProfile: three runs at once on one CPU-burning helper: with -p
// (folded, pprof and SVG files), with -p -K (JSON), and system-wide
// (JSON).
func TestLiveProfile(t *testing.T) {
	livetest.Require(t)
	pid := burner(t)
	dir := t.TempDir()
	pprofFile, svgFile := filepath.Join(dir, "cpu.pb.gz"), filepath.Join(dir, "cpu.svg")
	p := strconv.Itoa(pid)
	folded := livetest.Start(t, Applet, "-p", p, "-F", "199", "-f", "--pprof", pprofFile, "--svg", svgFile, "2")
	kernel := livetest.Start(t, Applet, "-p", p, "-K", "-F", "199", "--json", "2")
	all := livetest.Start(t, Applet, "-F", "99", "--json", "2")

	t.Run("folded, pid filter, top stack", func(t *testing.T) {
		lines := finish(t, folded)
		var top string
		var topN, total uint64
		for _, l := range lines {
			i := strings.LastIndexByte(l, ' ')
			n, err := strconv.ParseUint(l[i+1:], 10, 64)
			if i < 0 || err != nil || n == 0 {
				t.Fatalf("not a folded line: %q", l)
			}
			frames := strings.Split(l[:i], ";")
			if frames[0] != filepath.Base(os.Args[0])[:min(15, len(filepath.Base(os.Args[0])))] {
				t.Errorf("-p %d: a stack of another process: %q", pid, l)
			}
			total += n
			if n > topN {
				top, topN = l, n
			}
		}
		// Not a rate check: on a loaded shared machine the burner gets
		// what CPU it gets. Enough samples to tell the top stack.
		if total < 10 {
			t.Fatalf("%d samples of a CPU-bound process in 2 s at 199 Hz", total)
		}
		if !hasSymbol(strings.Split(top[:strings.LastIndexByte(top, ' ')], ";")) {
			t.Errorf("the top stack does not burn in %s: %q", burnSymbol, top)
		}
		pf, err := os.Open(pprofFile)
		if err != nil {
			t.Fatal(err)
		}
		defer pf.Close()
		prof, err := profile.Parse(pf)
		if err != nil {
			t.Fatalf("the pprof file does not parse: %v", err)
		}
		var inSym int64
		for _, s := range prof.Sample {
			if s.NumLabel["pid"][0] != int64(pid) {
				t.Errorf("pprof sample of pid %v", s.NumLabel["pid"])
			}
			for _, l := range s.Location {
				if strings.HasSuffix(l.Line[0].Function.Name, "."+burnSymbol) {
					inSym += s.Value[0]
					break
				}
			}
		}
		if inSym < int64(total)/2 || prof.Period != int64(time.Second)/199 {
			t.Errorf("pprof: %d of %d samples in %s, period %d", inSym, total, burnSymbol, prof.Period)
		}
		svg, err := os.ReadFile(svgFile)
		if err != nil || !strings.Contains(string(svg), burnSymbol) || !strings.HasSuffix(string(svg), "</svg>\n") {
			t.Errorf("flame graph without %s (%v)", burnSymbol, err)
		}
	})
	t.Run("kernel stacks only", func(t *testing.T) {
		out := decode(t, finish(t, kernel))
		for _, s := range out.Stacks {
			if s.PID != pid || s.User != nil {
				t.Errorf("-K -p %d: %+v", pid, s)
			}
		}
		if len(out.Stacks) == 0 {
			t.Error("-K: no stacks")
		}
	})
	t.Run("system-wide", func(t *testing.T) {
		out := decode(t, finish(t, all))
		var mine, all uint64
		others := map[int]bool{}
		for _, s := range out.Stacks {
			if s.PID == pid {
				all += s.Samples
				if hasSymbol(s.User) {
					mine += s.Samples
				}
			} else {
				others[s.PID] = true
			}
		}
		if mine < 5 || mine*2 < all {
			t.Errorf("%d of pid %d's %d samples in %s (2 s at 99 Hz)", mine, pid, all, burnSymbol)
		}
		if len(others) == 0 {
			t.Error("system-wide: no other process sampled")
		}
	})
}

func decode(t *testing.T, lines []string) jsonProfile {
	t.Helper()
	if len(lines) != 1 {
		t.Fatalf("want one JSON object, got %d lines", len(lines))
	}
	var p jsonProfile
	dec := json.NewDecoder(strings.NewReader(lines[0]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("%v: %q", err, lines[0])
	}
	return p
}
