package sslsniff

import (
	"encoding/binary"
	"strings"
	"testing"
	"unsafe"

	bpfobj "github.com/probebox/probebox/bpfobj/sslsniff"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/internal/golden"
)

// TestLayout keeps the hand-written decoder in step with the C struct.
func TestLayout(t *testing.T) {
	var e bpfobj.SslsniffSslEvent
	if n := unsafe.Sizeof(e); n != headerSize+maxBuf {
		t.Fatalf("struct ssl_event is %d bytes, decoder assumes %d", n, headerSize+maxBuf)
	}
	for _, f := range []struct {
		name      string
		got, want uintptr
	}{
		{"delta_ns", unsafe.Offsetof(e.DeltaNs), 8},
		{"ret", unsafe.Offsetof(e.Ret), 16},
		{"pid", unsafe.Offsetof(e.Pid), 24},
		{"tid", unsafe.Offsetof(e.Tid), 28},
		{"uid", unsafe.Offsetof(e.Uid), 32},
		{"len", unsafe.Offsetof(e.Len), 36},
		{"buf_filled", unsafe.Offsetof(e.BufFilled), 40},
		{"kind", unsafe.Offsetof(e.Kind), 44},
		{"comm", unsafe.Offsetof(e.Comm), 48},
		{"buf", unsafe.Offsetof(e.Buf), headerSize},
	} {
		if f.got != f.want {
			t.Errorf("%s at %d, decoder assumes %d", f.name, f.got, f.want)
		}
	}
}

func sample(ts, lat uint64, ret int64, pid, kind, length uint32, comm, data string) []byte {
	b := make([]byte, headerSize+len(data))
	ne := binary.NativeEndian
	ne.PutUint64(b[0:], ts)
	ne.PutUint64(b[8:], lat)
	ne.PutUint64(b[16:], uint64(ret))
	ne.PutUint32(b[24:], pid)
	ne.PutUint32(b[28:], pid+1)
	ne.PutUint32(b[32:], 1000)
	ne.PutUint32(b[36:], length)
	ne.PutUint32(b[40:], uint32(len(data)))
	ne.PutUint32(b[44:], kind)
	copy(b[48:64], comm)
	copy(b[headerSize:], data)
	return b
}

const httpGet = "GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n"

var samples = [][]byte{
	sample(2_000_000_000, 45_000, 1, 300, kindHandshake, 0, "curl", ""),
	sample(2_100_000_000, 55_000, int64(len(httpGet)), 300, kindWrite, uint32(len(httpGet)), "curl", httpGet),
	sample(2_227_144_585, 120_500, 20, 300, kindRead, 20, "curl", "HTTP/1.1 200 OK\r\n\r\n"),
	sample(3_000_000_000, 1_000, 9000, 301, kindRead, 9000, "evil\x1b[2J", "\x1b]0;owned\x07\x00\x01binary"),
}

func TestFormatGolden(t *testing.T) {
	for _, tt := range []struct {
		name string
		cfg  config
	}{
		{"default", config{}},
		{"extra_latency", config{extra: true, latency: true}},
		{"hexdump", config{hexdump: true}},
		{"json", config{json: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := newPrinter(&tt.cfg)
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
				golden.JSONLines(t, out.String())
			}
			if strings.ContainsAny(out.String(), "\x1b\x07\x00") {
				t.Error("a control byte reached the output")
			}
		})
	}
}

func TestDecodeBad(t *testing.T) {
	var ev event
	if err := ev.decode(make([]byte, headerSize-1)); err == nil {
		t.Fatal("a short sample decoded")
	}
	b := sample(1, 1, 1, 1, kindRead, 10, "x", "0123456789")
	binary.NativeEndian.PutUint32(b[40:], 11)
	if err := ev.decode(b); err == nil {
		t.Fatal("a fill past the sample decoded")
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-p", "0"}, {"-p", "x"}, {"-u", "-1"}, {"--max-buffer-size", "0"}, {"--max-buffer-size", "8193"},
		{"-c", ""}, {"-c", "a-name-too-long-for-comm"}, {"-o", "-g"}, {"--bogus"}, {"extra"}} {
		var out, errb strings.Builder
		status := Applet.Exec(t.Context(), args, applet.Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		if status != 2 || strings.Count(strings.TrimSpace(errb.String()), "\n") > 0 {
			t.Errorf("%q: status %d, stderr %q; want 2 and one line", args, status, errb.String())
		}
	}
}
