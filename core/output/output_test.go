package output

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain ascii", "plain ascii"},
		{"\x1b[31mred", `\x1b[31mred`},
		{"line\nbreak\ttab\rret", `line\nbreak\ttab\rret`},
		{`back\slash`, `back\\slash`},
		{"bell\x07del\x7f", `bell\x07del\x7f`},
		{"héllo wörld", "héllo wörld"},
		{"bad\xffutf8", `bad\xffutf8`},
		{"c1\u009bx", `c1\xc2\x9bx`},
		{"bidi\u202eevil", `bidi\xe2\x80\xaeevil`},
		{"nul\x00byte", `nul\x00byte`},
	}
	for _, tt := range tests {
		if got := Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := string(AppendCString(nil, []byte("comm\x00garbage"))); got != "comm" {
		t.Errorf("AppendCString = %q", got)
	}
}

func TestJSONString(t *testing.T) {
	for _, s := range []string{"plain", "quote\" back\\", "ctl\x01\x1b\n\t", "ünïcode", "\u2028sep"} {
		enc := AppendJSONString(nil, []byte(s))
		var back string
		if err := json.Unmarshal(enc, &back); err != nil || back != s {
			t.Errorf("%q encoded as %s, decoded %q, %v", s, enc, back, err)
		}
		if bytes.IndexByte(enc, 0x1b) >= 0 {
			t.Errorf("%q: raw ESC in JSON %s", s, enc)
		}
	}
	var back string
	json.Unmarshal(AppendJSONString(nil, []byte("bad\xff")), &back)
	if back != "bad\ufffd" {
		t.Errorf("invalid UTF-8 decoded as %q", back)
	}
}

func TestJSONLine(t *testing.T) {
	var j JSONLine
	j.Reset()
	j.Str("comm", []byte("sh"))
	j.Int("pid", -1)
	j.Uint("uid", 1000)
	j.Bool("ok", true)
	j.Float("lat", 1.25, 3)
	j.StrList("args", [][]byte{[]byte("a"), []byte("b c")})
	j.Raw("hist", []byte(`{"x":1}`))
	got := string(j.Bytes())
	want := `{"comm":"sh","pid":-1,"uid":1000,"ok":true,"lat":1.250,"args":["a","b c"],"hist":{"x":1}}` + "\n"
	if got != want {
		t.Errorf("got %s want %s", got, want)
	}
	j.Reset()
	j.Int("a", 1)
	if got := string(j.Bytes()); got != "{\"a\":1}\n" {
		t.Errorf("after Reset: %s", got)
	}
}

func TestPadding(t *testing.T) {
	for _, v := range []int64{0, 7, -42, 123456789} {
		for _, w := range []int{0, 3, 6, 12} {
			if got, want := string(AppendIntPadRight(nil, v, w)), fmt.Sprintf("%-*d", w, v); got != want {
				t.Errorf("%%-%dd of %d: %q want %q", w, v, got, want)
			}
			if got, want := string(AppendIntPadLeft(nil, v, w)), fmt.Sprintf("%*d", w, v); got != want {
				t.Errorf("%%%dd of %d: %q want %q", w, v, got, want)
			}
		}
	}
	if got := string(AppendPadRight(nil, []byte("toolongvalue"), 4)); got != "toolongvalue" {
		t.Errorf("no truncation expected: %q", got)
	}
	if got := string(AppendElapsed(nil, 1.5, 8, 3)); got != fmt.Sprintf("%-8.3f", 1.5) {
		t.Errorf("elapsed %q", got)
	}
	ts := time.Date(2026, 1, 2, 3, 4, 5, 0, time.Local)
	if got := string(AppendClock(nil, ts)); got != "03:04:05" {
		t.Errorf("clock %q", got)
	}
}

// syncBuffer is a bytes.Buffer safe for the writer's flushing goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestWriterFlushesOnItsOwn(t *testing.T) {
	var sink syncBuffer
	w := NewWriter(&sink, 10*time.Millisecond)
	defer w.Close()
	w.Write([]byte("event\n"))
	deadline := time.Now().Add(5 * time.Second)
	for sink.String() != "event\n" {
		if time.Now().After(deadline) {
			t.Fatal("buffered line never flushed without Close")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

type failing struct{}

func (failing) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

func TestWriterErrorSticks(t *testing.T) {
	w := NewWriter(failing{}, time.Hour)
	w.Write([]byte("x"))
	if err := w.Flush(); err == nil {
		t.Fatal("flush to a failing writer succeeded")
	}
	if _, err := w.Write([]byte("y")); err == nil || !strings.Contains(err.Error(), "broken pipe") {
		t.Errorf("later write: %v", err)
	}
	if err := w.Close(); err == nil {
		t.Error("Close hid the error")
	}
}

func TestColorEnabled(t *testing.T) {
	r, wr, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer wr.Close()
	if ColorEnabled(wr) {
		t.Error("colour on a pipe")
	}
	t.Setenv("NO_COLOR", "1")
	if ColorEnabled(os.Stdout) {
		t.Error("colour despite NO_COLOR")
	}
}

func BenchmarkAppendEscaped(b *testing.B) {
	s := []byte("/usr/lib/x86_64-linux-gnu/libc.so.6")
	buf := make([]byte, 0, 256)
	for b.Loop() {
		buf = AppendEscaped(buf[:0], s)
	}
}

func BenchmarkJSONLine(b *testing.B) {
	var j JSONLine
	comm := []byte("bash")
	for b.Loop() {
		j.Reset()
		j.Str("comm", comm)
		j.Int("pid", 1234)
		j.Uint("uid", 0)
		j.Bytes()
	}
}
