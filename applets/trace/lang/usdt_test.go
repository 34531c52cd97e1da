package lang

import (
	"fmt"
	"testing"
)

func TestParseUSDTArgs(t *testing.T) {
	tests := []struct{ spec, want string }{
		{"-4@%edi 8@%rax 1@%sil -8@%r12", "[{4 true 114 112 0} {8 false 114 80 0} {1 false 114 104 0} {8 true 114 24 0}]"},
		{"8@-16(%rbp) -4@(%rsp) 2@8(%r9d)", "[{8 false 109 32 -16} {4 true 109 152 0} {2 false 109 64 8}]"},
		{"-4@$5 8@$0x10", "[{4 true 105 0 5} {8 false 105 0 16}]"},
		{"", "[]"},
		{"8@8(%rax,%rbx,8)", `error: argument spec "8@8(%rax,%rbx,8)": indexed addressing is not supported`},
		{"8@counter(%rip)", `error: argument spec "8@counter(%rip)": a global read relative to %rip is not supported`},
		{"3@%eax", `error: argument spec "3@%eax": size must be 1, 2, 4 or 8`},
		{"4@%xmm0", `error: argument spec "4@%xmm0": unknown register`},
		{"4%eax", `error: argument spec "4%eax": no size@operand`},
	}
	for _, tt := range tests {
		args, err := parseUSDTArgs(tt.spec)
		got := fmt.Sprint(args)
		if err != nil {
			got = "error: " + err.Error()
		}
		if args == nil && err == nil {
			got = "[]"
		}
		if got != tt.want {
			t.Errorf("%q: %s, want %s", tt.spec, got, tt.want)
		}
	}
}
