package output

import "testing"

func TestAppendEscapedText(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain", "plain"},
		{"a\r\nb\n", "a\nb\n"},
		{"tab\there", "tab\there"},
		{"\x1b[2Jx\rY\n", `\x1b[2Jx\rY` + "\n"},
		{"\r", `\r`},
		{"bidi \u202e", `bidi \xe2\x80\xae`},
	} {
		if got := string(AppendEscapedText(nil, []byte(tt.in))); got != tt.want {
			t.Errorf("%q: %q, want %q", tt.in, got, tt.want)
		}
	}
}
