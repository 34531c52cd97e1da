package hist

import (
	"bytes"
	"testing"
)

// Tiny histograms worked out by hand from the C formats (see golden_test.go),
// kept literal so a reader can check them without running anything.
func TestLiteral(t *testing.T) {
	tests := []struct {
		name  string
		print func(*bytes.Buffer) error
		want  string
	}{
		{
			name:  "log2 two slots",
			print: func(b *bytes.Buffer) error { return PrintLog2(b, []uint64{1, 2}, "usecs") },
			want: "" +
				"     usecs               : count    distribution\n" +
				"         0 -> 1          : 1        |********************                    |\n" +
				"         2 -> 3          : 2        |****************************************|\n",
		},
		{
			name:  "log2 trailing zeros dropped",
			print: func(b *bytes.Buffer) error { return PrintLog2(b, []uint64{0, 3, 0, 0}, "usecs") },
			want: "" +
				"     usecs               : count    distribution\n" +
				"         0 -> 1          : 0        |                                        |\n" +
				"         2 -> 3          : 3        |****************************************|\n",
		},
		{
			name: "log2 wide, slot 33",
			print: func(b *bytes.Buffer) error {
				v := make([]uint64, 34)
				v[33] = 1
				return PrintLog2(b, v[:], "nsecs")
			},
			want: "               nsecs                         : count    distribution\n" +
				"                   0 -> 1                    : 0        |                    |\n" +
				"                   2 -> 3                    : 0        |                    |\n" +
				"                   4 -> 7                    : 0        |                    |\n" +
				"                   8 -> 15                   : 0        |                    |\n" +
				"                  16 -> 31                   : 0        |                    |\n" +
				"                  32 -> 63                   : 0        |                    |\n" +
				"                  64 -> 127                  : 0        |                    |\n" +
				"                 128 -> 255                  : 0        |                    |\n" +
				"                 256 -> 511                  : 0        |                    |\n" +
				"                 512 -> 1023                 : 0        |                    |\n" +
				"                1024 -> 2047                 : 0        |                    |\n" +
				"                2048 -> 4095                 : 0        |                    |\n" +
				"                4096 -> 8191                 : 0        |                    |\n" +
				"                8192 -> 16383                : 0        |                    |\n" +
				"               16384 -> 32767                : 0        |                    |\n" +
				"               32768 -> 65535                : 0        |                    |\n" +
				"               65536 -> 131071               : 0        |                    |\n" +
				"              131072 -> 262143               : 0        |                    |\n" +
				"              262144 -> 524287               : 0        |                    |\n" +
				"              524288 -> 1048575              : 0        |                    |\n" +
				"             1048576 -> 2097151              : 0        |                    |\n" +
				"             2097152 -> 4194303              : 0        |                    |\n" +
				"             4194304 -> 8388607              : 0        |                    |\n" +
				"             8388608 -> 16777215             : 0        |                    |\n" +
				"            16777216 -> 33554431             : 0        |                    |\n" +
				"            33554432 -> 67108863             : 0        |                    |\n" +
				"            67108864 -> 134217727            : 0        |                    |\n" +
				"           134217728 -> 268435455            : 0        |                    |\n" +
				"           268435456 -> 536870911            : 0        |                    |\n" +
				"           536870912 -> 1073741823           : 0        |                    |\n" +
				"          1073741824 -> 2147483647           : 0        |                    |\n" +
				"          2147483648 -> 4294967295           : 0        |                    |\n" +
				"          4294967296 -> 8589934591           : 0        |                    |\n" +
				"          8589934592 -> 17179869183          : 1        |********************|\n",
		},
		{
			name:  "linear skips empty slots",
			print: func(b *bytes.Buffer) error { return PrintLinear(b, []uint64{0, 1, 0, 4}, 0, 10, "msecs") },
			want: "" +
				"     msecs         : count     distribution\n" +
				"        10         : 1        |**********                              |\n" +
				"        30         : 4        |****************************************|\n",
		},
		{
			name:  "all zero prints nothing",
			print: func(b *bytes.Buffer) error { return PrintLog2(b, nil, "usecs") },
			want:  "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got bytes.Buffer
			if err := tt.print(&got); err != nil {
				t.Fatal(err)
			}
			if got.String() != tt.want {
				t.Errorf("got:\n%q\nwant:\n%q", got.String(), tt.want)
			}
		})
	}
}
