package hist

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// The goldens follow these printf formats of libbpf-tools trace_helpers.c
// (idx_max is the last non-zero slot):
//
//	print_log2_hist header: "%*s%-*s : count    distribution\n"
//	    with (5, "", 19, val_type), or (15, "", 29, val_type) when idx_max > 32
//	print_log2_hist row:    "%*lld -> %-*lld : %-8d |" with width 10,
//	    or 20 when idx_max > 32; low = (1<<(i+1))>>1, high = (1<<(i+1))-1,
//	    low -= 1 when low == high (slot 0 reads "0 -> 1")
//	print_stars:            min(val,val_max)*width/val_max '*', spaces to
//	    width, '+' if val > val_max; width 40, or 20 when idx_max > 32
//	row end:                "|\n"
//	print_linear_hist header: "     %-13s : count     distribution\n"
//	print_linear_hist row:    "        %-10d : %-8d |" with base + i*step,
//	    zero slots skipped, 40-wide stars, "|\n"
//
// Every printer writes nothing when all counts are zero.

// wideVals has its last count in slot 39, past 32: wide columns, half bar.
func wideVals() []uint64 {
	v := make([]uint64, 40)
	v[0], v[33], v[35], v[39] = 5, 1, 12, 3
	return v
}

// topSlotVals reaches slot 63, whose high bound is the largest uint64.
func topSlotVals() []uint64 {
	v := make([]uint64, 64)
	v[60], v[63] = 2, 1
	return v
}

func TestGolden(t *testing.T) {
	tests := []struct {
		name  string
		print func(*bytes.Buffer) error
	}{
		{"empty", func(b *bytes.Buffer) error { return PrintLog2(b, make([]uint64, 27), "usecs") }},
		{"one_bucket", func(b *bytes.Buffer) error { return PrintLog2(b, []uint64{0, 0, 0, 7}, "msecs") }},
		{"latency", func(b *bytes.Buffer) error {
			return PrintLog2(b, []uint64{0, 3, 10, 42, 190, 1234, 980, 20, 0, 1, 0, 0, 0}, "usecs")
		}},
		// Counts past 32 bits overflow the 8-wide count column but leave the
		// value columns narrow: only the slot index widens them.
		{"big_counts", func(b *bytes.Buffer) error {
			return PrintLog2(b, []uint64{1 << 33, 0, 12345678901, 3}, "nsecs")
		}},
		{"wide", func(b *bytes.Buffer) error { return PrintLog2(b, wideVals(), "nsecs") }},
		{"top_slot", func(b *bytes.Buffer) error { return PrintLog2(b, topSlotVals(), "bytes") }},
		{"long_label", func(b *bytes.Buffer) error {
			return PrintLog2(b, []uint64{1, 1}, "a label longer than nineteen")
		}},
		{"linear", func(b *bytes.Buffer) error { return PrintLinear(b, []uint64{0, 4, 0, 9, 2}, 100, 50, "kbytes") }},
		{"linear_empty", func(b *bytes.Buffer) error { return PrintLinear(b, []uint64{0, 0}, 0, 1, "msecs") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got bytes.Buffer
			if err := tt.print(&got); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tt.name+".golden")
			if *update {
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("output differs from %s\ngot:\n%s\nwant:\n%s", path, got.Bytes(), want)
			}
		})
	}
}
