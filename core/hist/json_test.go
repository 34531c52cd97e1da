package hist

import (
	"encoding/json"
	"testing"
)

func TestJSON(t *testing.T) {
	top := make([]uint64, 66) // slots 64 and 65 cannot hold uint64 values
	top[63], top[65] = 1, 9
	tests := []struct {
		name string
		got  []byte
		want string
	}{
		{"log2 empty", AppendLog2JSON(nil, []uint64{0, 0}, "usecs"),
			`{"unit":"usecs","buckets":[]}`},
		{"log2 keeps inner zeros, drops trailing", AppendLog2JSON(nil, []uint64{3, 0, 5, 0}, "usecs"),
			`{"unit":"usecs","buckets":[{"low":0,"high":1,"count":3},{"low":2,"high":3,"count":0},{"low":4,"high":7,"count":5}]}`},
		{"log2 appends", AppendLog2JSON([]byte("x "), []uint64{1}, "ms"),
			`x {"unit":"ms","buckets":[{"low":0,"high":1,"count":1}]}`},
		{"linear keeps non-zero rows", AppendLinearJSON(nil, []uint64{0, 2, 0, 1}, 10, 5, "msecs"),
			`{"unit":"msecs","buckets":[{"low":15,"high":19,"count":2},{"low":25,"high":29,"count":1}]}`},
		{"linear step 0", AppendLinearJSON(nil, []uint64{4}, 7, 0, "x"),
			`{"unit":"x","buckets":[{"low":7,"high":7,"count":4}]}`},
		{"unit escaped", AppendLinearJSON(nil, nil, 0, 1, "a\"b\\\n\xff"),
			`{"unit":"a\"b\\\n\ufffd","buckets":[]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if string(tt.got) != tt.want {
				t.Errorf("got  %s\nwant %s", tt.got, tt.want)
			}
		})
	}
	t.Run("log2 top slot", func(t *testing.T) {
		var h struct {
			Buckets []struct{ Low, High, Count uint64 }
		}
		if err := json.Unmarshal(AppendLog2JSON(nil, top, "b"), &h); err != nil {
			t.Fatal(err)
		}
		last := h.Buckets[len(h.Buckets)-1]
		if len(h.Buckets) != 64 || last.Low != 1<<63 || last.High != 1<<64-1 || last.Count != 1 {
			t.Errorf("%d buckets, last %+v", len(h.Buckets), last)
		}
	})
}
