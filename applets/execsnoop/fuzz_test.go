package execsnoop

import (
	"bytes"
	"testing"
)

// FuzzDecode feeds random records of every length to the decoder and the
// formatters: short ones are rejected, none crashes, and nothing a record
// holds reaches the output unescaped.
func FuzzDecode(f *testing.F) {
	f.Add([]byte{})
	f.Add(make([]byte, headerSize-1))
	f.Add(make([]byte, headerSize))
	full := make([]byte, headerSize+64)
	full[24], full[28] = 200, 0xff // args_count 200, args_size beyond the record
	copy(full[32:], "sh\x1b[2J\r\b\xff")
	copy(full[headerSize:], "a\x00\x1b]0;x\a\x00\xff\xfe")
	f.Add(full)
	f.Fuzz(func(t *testing.T, b []byte) {
		var ev event
		if err := ev.decode(b); err != nil {
			if len(b) >= headerSize {
				t.Fatalf("rejected a %d-byte record: %v", len(b), err)
			}
			return
		}
		if len(b) < headerSize {
			t.Fatalf("accepted a %d-byte record", len(b))
		}
		for _, cfg := range []*config{{maxArgs: 20}, {maxArgs: 1, quote: true, timeCol: true, timestamp: true, printUID: true}, {maxArgs: 60, json: true}} {
			out := newPrinter(cfg, 0).format(&ev)
			if i := bytes.IndexFunc(out, func(r rune) bool { return r < 0x20 && r != '\n' || r == 0x7f }); i >= 0 {
				t.Fatalf("raw control byte in output %q", out)
			}
		}
	})
}
