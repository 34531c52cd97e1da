package execsnoop

import (
	"encoding/binary"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/execsnoop"
	"github.com/probebox/probebox/internal/golden"
)

// TestLayout keeps the hand-written decoder in step with the C struct.
func TestLayout(t *testing.T) {
	var e bpfobj.ExecsnoopExecEvent
	if off := unsafe.Offsetof(e.Args); off != headerSize {
		t.Fatalf("args at offset %d, decoder assumes %d", off, headerSize)
	}
	if n := len(e.Args); n != maxArgsLimit*128 {
		t.Fatalf("args buffer %d bytes, want %d", n, maxArgsLimit*128)
	}
	if off := unsafe.Offsetof(e.Comm); off != 32 {
		t.Fatalf("comm at %d, decoder assumes 32", off)
	}
}

// sample builds a raw event as the BPF program emits it.
func sample(pid, ppid int32, uid uint32, ret int32, comm string, argsCount int32, args ...string) []byte {
	buf := make([]byte, headerSize)
	ne := binary.NativeEndian
	ne.PutUint64(buf[0:], 2_500_000_000)
	ne.PutUint32(buf[8:], uint32(pid))
	ne.PutUint32(buf[12:], uint32(ppid))
	ne.PutUint32(buf[16:], uid)
	ne.PutUint32(buf[20:], uint32(ret))
	ne.PutUint32(buf[24:], uint32(argsCount))
	var body []byte
	for _, a := range args {
		body = append(append(body, a...), 0)
	}
	ne.PutUint32(buf[28:], uint32(len(body)))
	copy(buf[32:48], comm)
	return append(buf, body...)
}

var samples = [][]byte{
	sample(4242, 1000, 0, 0, "ls", 2, "/usr/bin/ls", "-l"),
	sample(4243, 1000, 1000, -2, "bash", 1, "/nonexistent"),
	sample(4244, 1, 33, 0, "evil\x1b[31mred", 2, "/bin/echo", "line\nbreak\x1b]0;title\x07"),
	sample(4245, 1, 0, 0, "sh", 3, "/bin/sh", "-c", `echo "hi"`),
	sample(4246, 1, 0, 0, "many", 4, "/bin/true", "a", "b"), // argsCount > max-args 3 in the truncated case
	sample(123456789, 1, 0, 0, "averyveryverylon", 1, "/x"),
}

func TestFormatGolden(t *testing.T) {
	fixed := time.Date(2026, 11, 25, 13, 4, 5, 0, time.Local)
	tests := []struct {
		name string
		cfg  config
	}{
		{"default", config{maxArgs: 20}},
		{"time_uid", config{maxArgs: 20, timeCol: true, printUID: true}},
		{"timestamp", config{maxArgs: 20, timestamp: true}},
		{"quote", config{maxArgs: 20, quote: true}},
		{"truncated", config{maxArgs: 3}},
		{"line_filter", config{maxArgs: 20, line: "-l"}},
		{"json", config{maxArgs: 20, json: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPrinter(&tt.cfg, 1_000_000_000)
			p.now = func() time.Time { return fixed }
			var out strings.Builder
			if !tt.cfg.json {
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
				for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
					var m map[string]any
					if err := json.Unmarshal([]byte(line), &m); err != nil {
						t.Errorf("line %q: %v", line, err)
					}
				}
			}
			if strings.ContainsRune(out.String(), 0x1b) {
				t.Error("an escape byte reached the output")
			}
		})
	}
}

func TestDecodeShort(t *testing.T) {
	var ev event
	if err := ev.decode(make([]byte, 10)); err == nil {
		t.Fatal("a 10-byte sample decoded")
	}
	// args_size larger than the sample must not read past it.
	s := sample(1, 1, 0, 0, "x", 1, "/bin/x")
	binary.NativeEndian.PutUint32(s[28:], 5000)
	if err := ev.decode(s); err != nil || len(ev.args) != len(s)-headerSize {
		t.Fatalf("oversized args_size: err %v, %d args bytes", err, len(ev.args))
	}
}

func TestColourOnlyFailures(t *testing.T) {
	p := newPrinter(&config{maxArgs: 20}, 0)
	p.color = true
	var ev event
	ev.decode(sample(1, 1, 0, -2, "sh", 1, "/missing"))
	if got := string(p.format(&ev)); !strings.Contains(got, "\x1b[31m -2\x1b[0m ") {
		t.Errorf("failed exec not in red: %q", got)
	}
	ev.decode(sample(1, 1, 0, 0, "sh", 1, "/bin/sh"))
	if got := string(p.format(&ev)); strings.ContainsRune(got, 0x1b) {
		t.Errorf("successful exec coloured: %q", got)
	}
}
