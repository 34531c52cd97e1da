package privs

import (
	"strings"
	"testing"
)

func TestCheckStatus(t *testing.T) {
	tests := []struct {
		name   string
		capEff string
		ok     bool
	}{
		{"root", "000001ffffffffff", true},
		{"nothing", "0000000000000000", false},
		{"sys_admin only", "0000000000200000", true},
		{"bpf and perfmon", "000000c000000000", true},
		{"bpf without perfmon", "0000008000000000", false},
		{"perfmon without bpf", "0000004000000000", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status := "Name:\tx\nCapInh:\t0000000000000000\nCapEff:\t" + tt.capEff + "\n"
			err := checkStatus(strings.NewReader(status))
			if (err == nil) != tt.ok {
				t.Fatalf("CapEff %s: err = %v, want ok=%v", tt.capEff, err, tt.ok)
			}
		})
	}
}
