package hist

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// The C formats these goldens follow (libbpf-tools trace_helpers.c):
//   header: "%*s%-*s : count    distribution\n" with 5/19, or 15/29 past slot 32
//   row:    "%*lld -> %-*lld : %-8d |" with width 10, or 20 past slot 32,
//           then 40 (or 20) bar characters and "|\n"
//   linear: "     %-13s : count     distribution\n", rows "        %-10d : %-8d |"

func TestTinyLiteral(t *testing.T) {
	var b strings.Builder
	PrintLog2(&b, []uint64{1, 2}, "usecs")
	want := "" +
		"     usecs               : count    distribution\n" +
		"         0 -> 1          : 1        |********************                    |\n" +
		"         2 -> 3          : 2        |****************************************|\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestGolden(t *testing.T) {
	wide := make([]uint64, 40)
	wide[0], wide[35], wide[39] = 5, 1, 3
	tests := []struct {
		name  string
		print func(*strings.Builder)
	}{
		{"empty", func(b *strings.Builder) { PrintLog2(b, make([]uint64, 27), "usecs") }},
		{"one_bucket", func(b *strings.Builder) { PrintLog2(b, []uint64{0, 0, 0, 7}, "msecs") }},
		{"latency", func(b *strings.Builder) {
			PrintLog2(b, []uint64{0, 3, 10, 42, 190, 1234, 980, 20, 0, 1, 0, 0}, "usecs")
		}},
		{"wide", func(b *strings.Builder) { PrintLog2(b, wide, "nsecs") }},
		{"linear", func(b *strings.Builder) { PrintLinear(b, []uint64{0, 4, 0, 9, 2}, 100, 50, "kbytes") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			tt.print(&b)
			path := filepath.Join("testdata", tt.name+".golden")
			if *update {
				os.WriteFile(path, []byte(b.String()), 0o644)
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if b.String() != string(want) {
				t.Errorf("got\n%s\nwant\n%s", b.String(), want)
			}
		})
	}
}

func TestLog2Slot(t *testing.T) {
	for v, want := range map[uint64]int{0: 0, 1: 0, 2: 1, 3: 1, 4: 2, 1023: 9, 1024: 10, 1 << 63: 63} {
		if got := Log2Slot(v); got != want {
			t.Errorf("Log2Slot(%d) = %d, want %d", v, got, want)
		}
	}
}

func TestJSON(t *testing.T) {
	var h struct {
		Unit    string `json:"unit"`
		Buckets []struct{ Low, High, Count uint64 }
	}
	if err := json.Unmarshal(AppendLog2JSON(nil, []uint64{1, 0, 5}, "usecs"), &h); err != nil {
		t.Fatal(err)
	}
	if h.Unit != "usecs" || len(h.Buckets) != 3 || h.Buckets[2].Low != 4 || h.Buckets[2].High != 7 || h.Buckets[2].Count != 5 {
		t.Errorf("%+v", h)
	}
	if err := json.Unmarshal(AppendLinearJSON(nil, []uint64{0, 2}, 10, 5, "ms"), &h); err != nil || len(h.Buckets) != 1 || h.Buckets[0].Low != 15 {
		t.Errorf("linear %+v %v", h, err)
	}
}
