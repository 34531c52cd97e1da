package hist

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestErrors(t *testing.T) {
	past := make([]uint64, 70)
	past[65] = 1
	tests := []struct {
		name  string
		print func(*bytes.Buffer) error
	}{
		{"log2 count past slot 63", func(b *bytes.Buffer) error { return PrintLog2(b, past, "usecs") }},
		{"log2 write fails", func(*bytes.Buffer) error { return PrintLog2(failWriter{}, []uint64{1}, "usecs") }},
		{"linear write fails", func(*bytes.Buffer) error { return PrintLinear(failWriter{}, []uint64{1}, 0, 1, "ms") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.print(&b); err == nil {
				t.Fatal("no error")
			}
			if b.Len() != 0 {
				t.Errorf("wrote %q despite the error", b.String())
			}
		})
	}
}

// Arbitrary counts, bounds and labels never panic, and JSON stays valid.
func FuzzPrint(f *testing.F) {
	f.Add([]byte{1, 0, 255, 7}, uint64(0), uint64(1), "usecs")
	f.Add(make([]byte, 600), ^uint64(0), ^uint64(0), "\xff")
	f.Fuzz(func(t *testing.T, raw []byte, base, step uint64, unit string) {
		vals := make([]uint64, 0, len(raw)/8+1)
		for i := 0; i+8 <= len(raw); i += 8 {
			var v uint64
			for _, c := range raw[i : i+8] {
				v = v<<8 | uint64(c)
			}
			vals = append(vals, v)
		}
		var b bytes.Buffer
		_ = PrintLog2(&b, vals, unit)
		_ = PrintLinear(&b, vals, base, step, unit)
		for _, js := range [][]byte{AppendLog2JSON(nil, vals, unit), AppendLinearJSON(nil, vals, base, step, unit)} {
			if !json.Valid(js) {
				t.Fatalf("invalid JSON %s", js)
			}
		}
	})
}
