package syscount

import (
	"bytes"
	"encoding/binary"
	"regexp"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/syscount"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/sysnames"
	"github.com/probebox/probebox/internal/golden"
)

func TestLayout(t *testing.T) {
	var v bpfobj.SyscountSyscountVal
	if unsafe.Sizeof(v) != valSize || unsafe.Offsetof(v.TotalNs) != 8 || unsafe.Offsetof(v.Comm) != 16 {
		t.Fatal("struct syscount_val differs from the decoder's layout")
	}
	b := make([]byte, valSize)
	binary.NativeEndian.PutUint64(b, 7)
	binary.NativeEndian.PutUint64(b[8:], 9000)
	copy(b[16:], "bash")
	if r := decodeVal(3, b); r.key != 3 || r.count != 7 || r.totalNs != 9000 || string(r.comm) != "bash" {
		t.Fatalf("decoded %+v", r)
	}
}

func nr(name string) uint32 {
	n, ok := sysnames.Number(name)
	if !ok {
		panic(name)
	}
	return uint32(n)
}

// Golden files hold names, not numbers, so they are the same on every
// architecture.
func rows(process bool) []row {
	if process {
		return []row{
			{key: 4242, count: 90, totalNs: 5_000_000, comm: []byte("nginx")},
			{key: 17, count: 1200, totalNs: 120_000, comm: []byte("evil\x1b[2J")},
			{key: 1, count: 90, totalNs: 1_000_000_000, comm: []byte("systemd")},
		}
	}
	return []row{
		{key: nr("read"), count: 5000, totalNs: 2_000_000},
		{key: nr("nanosleep"), count: 1, totalNs: 10_080_000},
		{key: nr("openat"), count: 5000, totalNs: 3_000_000},
		{key: nr("getppid"), count: 123, totalNs: 12_300},
		{key: 99999, count: 2, totalNs: 500},
	}
}

var nrField = regexp.MustCompile(`"nr":\d+`)

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 12, 1, 21, 4, 5, 0, time.Local)
	dropped := []loader.Dropped{{Bounded: loader.Bounded{Map: "counts"}, N: 3}, {Bounded: loader.Bounded{Map: "start"}}}
	for _, tt := range []struct {
		name string
		cfg  config
	}{
		{"count", config{top: 10}},
		{"top3", config{top: 3}},
		{"latency", config{top: 10, latency: true}},
		{"latency_ms", config{top: 10, latency: true, ms: true}},
		{"process", config{top: 10, process: true}},
		{"process_latency", config{top: 10, process: true, latency: true}},
		{"json", config{top: 10, json: true, latency: true}},
		{"json_process", config{top: 10, json: true, process: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := newPrinter(&tt.cfg)
			p.now = func() time.Time { return fixed }
			var b bytes.Buffer
			p.write(&b, rows(tt.cfg.process), dropped)
			p.write(&b, nil, dropped) // an empty interval: nothing in text
			// Numbers differ between architectures; names do not.
			golden.Check(t, tt.name, nrField.ReplaceAllString(b.String(), `"nr":_`))
			if tt.cfg.json {
				golden.JSONLines(t, b.String())
			}
			if strings.ContainsRune(b.String(), 0x1b) {
				t.Error("an escape byte reached the output")
			}
		})
	}
}

func TestParseErrno(t *testing.T) {
	for in, want := range map[string]int{"2": 2, "ENOENT": 2, "eperm": 1, "EACCES": 13} {
		if got, err := parseErrno(in); err != nil || got != want {
			t.Errorf("parseErrno(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-p", "0"}, {"-t", "-1"}, {"-i", "-1"}, {"-d", "0"}, {"-T", "0"}, {"-e", "EBOGUS"}, {"-e", "0"}, {"-e", "5000"}, {"--bogus"}, {"extra"}} {
		var out, errb strings.Builder
		status := Applet.Exec(t.Context(), args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		if status != 2 || strings.Count(strings.TrimSpace(errb.String()), "\n") > 1 {
			t.Errorf("%q: status %d, stderr %q; want 2 and one line", args, status, errb.String())
		}
	}
}

func TestList(t *testing.T) {
	var out, errb strings.Builder
	if status := Applet.Exec(t.Context(), []string{"-l"}, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb}); status != 0 {
		t.Fatalf("-l: status %d %q", status, errb.String())
	}
	if !strings.Contains(out.String(), ": openat\n") || strings.Count(out.String(), "\n") < 250 {
		t.Errorf("-l output too short or without openat:\n%.300s", out.String())
	}
}
