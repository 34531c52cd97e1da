package opensnoop

import (
	"bytes"
	"testing"
)

// FuzzDecode feeds random records of every length to the decoder and the
// formatters: short ones are rejected, none crashes, and nothing a record
// holds reaches the output unescaped.
func FuzzDecode(f *testing.F) {
	f.Add([]byte{})
	f.Add(make([]byte, offFname+nameLen-1))
	rec := make([]byte, offFname+nameLen+8)
	copy(rec[offComm:], "cat\x1b[2J\r\b\xff")
	copy(rec[offFname:], "/tmp/\x1b]0;x\a\xff\xfe")
	rec[20], rec[21], rec[22], rec[23] = 0xfe, 0xff, 0xff, 0xff // ret -2
	f.Add(rec)
	f.Fuzz(func(t *testing.T, b []byte) {
		var ev event
		if err := ev.decode(b); err != nil {
			if len(b) >= offFname+nameLen {
				t.Fatalf("rejected a %d-byte record: %v", len(b), err)
			}
			return
		}
		if len(b) < offFname+nameLen {
			t.Fatalf("accepted a %d-byte record", len(b))
		}
		for _, cfg := range []*config{{}, {extended: true, timestamp: true, printUID: true}, {json: true, extended: true}} {
			out := newPrinter(cfg).format(&ev)
			if i := bytes.IndexFunc(out, func(r rune) bool { return r < 0x20 && r != '\n' || r == 0x7f }); i >= 0 {
				t.Fatalf("raw control byte in output %q", out)
			}
		}
	})
}
