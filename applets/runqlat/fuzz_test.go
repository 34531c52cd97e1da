package runqlat

import (
	"bytes"
	"testing"
)

// FuzzDecodeEntry feeds random histogram values of every length to the
// decoder and the summary printers: short ones are rejected, none
// crashes, and a comm with terminal controls is printed escaped.
func FuzzDecodeEntry(f *testing.F) {
	f.Add(uint32(0), []byte{})
	f.Add(uint32(1), make([]byte, valueSize-1))
	v := make([]byte, valueSize)
	for i := 0; i < maxSlots*4; i++ {
		v[i] = 0xff
	}
	copy(v[commOff:], "sh\x1b[2J\r\b\xff")
	f.Add(allKey, v)
	f.Fuzz(func(t *testing.T, key uint32, b []byte) {
		e, err := decodeEntry(key, b)
		if err != nil {
			if len(b) >= valueSize {
				t.Fatalf("rejected a %d-byte value: %v", len(b), err)
			}
			return
		}
		if len(b) < valueSize {
			t.Fatalf("accepted a %d-byte value", len(b))
		}
		for _, cfg := range []*config{{}, {key: keyPID, millis: true}, {key: keyTID, json: true}} {
			var buf bytes.Buffer
			newPrinter(cfg).summary(&buf, []entry{e}, nil)
			if i := bytes.IndexFunc(buf.Bytes(), func(r rune) bool { return r < 0x20 && r != '\n' || r == 0x7f }); i >= 0 {
				t.Fatalf("raw control byte in output %q", buf.Bytes())
			}
		}
	})
}
