package lang

import (
	"strings"
	"testing"
)

func TestBindParams(t *testing.T) {
	tests := []struct {
		src    string
		params []string
		want   string // the dumped first statement, or the error's first line
	}{
		{`BEGIN { @x = $1 + $2; }`, []string{"5", "0x10"}, "@x = (5 + 16)"},
		{`BEGIN { @x = $#; }`, []string{"a", "b", "c"}, "@x = 3"},
		{`BEGIN { @x = $3; }`, []string{"1"}, "@x = 0"},
		{`BEGIN { @x = str($2); }`, []string{"1", "two"}, `@x = str("two")`},
		{`BEGIN { @x = str($4, $1); }`, []string{"1"}, `@x = str("", 1)`},
		{`BEGIN { if ($1 > 2) { @x = $1; } }`, []string{"3"}, "if (3 > 2)"},
		{`BEGIN { @x = $2; }`, []string{"1", "two"}, `stdin:1:14-16: ERROR: $2 used numerically but given "two". Try using str($2).`},
	}
	for _, tt := range tests {
		prog, err := Parse("stdin", tt.src)
		if err != nil {
			t.Fatal(err)
		}
		var got string
		if err := BindParams(prog, tt.params); err != nil {
			e := err.(*Error)
			e.File = "stdin"
			got = strings.SplitN(e.Error(), "\n", 2)[0]
		} else {
			var b strings.Builder
			dumpStmts(&b, prog.Probes[0].Body[:1], "")
			got = strings.SplitN(b.String(), "\n", 2)[0]
		}
		if got != tt.want {
			t.Errorf("%s %v: got %q, want %q", tt.src, tt.params, got, tt.want)
		}
	}
}
