package lang

import "testing"

// TestErrorShape: bpftrace's layout, "FILE:LINE:FROM-TO: ERROR: msg",
// the source line, '~' under the span; a span over lines quotes nothing.
func TestErrorShape(t *testing.T) {
	tests := []struct {
		err  Error
		want string
	}{
		{Error{Pos: Pos{1, 14}, End: Pos{1, 17}, Msg: "m", Src: "BEGIN { @x = foo; }"},
			"stdin:1:14-17: ERROR: m\nBEGIN { @x = foo; }\n             ~~~"},
		// No end: one character.
		{Error{File: "f.bt", Pos: Pos{2, 3}, Msg: "m", Src: "x\nabcdef\n"}, "f.bt:2:3-4: ERROR: m\nabcdef\n  ~"},
		// A tab shows as a space, and a multi-byte character takes one column.
		{Error{Pos: Pos{1, 9}, End: Pos{1, 12}, Msg: "m", Src: "\t\"é\" + foo"},
			"stdin:1:9-12: ERROR: m\n \"é\" + foo\n       ~~~"},
		// Past the end of the line: marks continue.
		{Error{Pos: Pos{1, 3}, End: Pos{1, 6}, Msg: "m", Src: "ab"}, "stdin:1:3-6: ERROR: m\nab\n  ~~~"},
		{Error{Pos: Pos{2, 3}, End: Pos{3, 5}, Msg: "m", Src: "a\nb\nc"}, "stdin:2-3: ERROR: m"},
		// A line the source does not have: the message alone.
		{Error{Pos: Pos{9, 1}, End: Pos{9, 2}, Msg: "m", Src: "a"}, "stdin:9:1-2: ERROR: m"},
		{Error{Pos: Pos{1, 1}, End: Pos{1, 2}, Msg: "m"}, "stdin:1:1-2: ERROR: m"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got\n%s\nwant\n%s", got, tt.want)
		}
	}
}

// TestErrorFromParseAndCompile: both stages quote the program.
func TestErrorFromParseAndCompile(t *testing.T) {
	_, err := Parse("stdin", "BEGIN { @x = 1 +; }")
	want := "stdin:1:17-18: ERROR: unexpected \";\"\nBEGIN { @x = 1 +; }\n                ~"
	if err == nil || err.Error() != want {
		t.Errorf("parse error\n%v\nwant\n%s", err, want)
	}
	prog, err := Parse("stdin", "BEGIN { @x = 1; }\nBEGIN { @x = comm; }")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Compile(prog, newFakeEnv(), Options{Arch: "amd64", File: "stdin"})
	want = "stdin:2:9-11: ERROR: type mismatch for @x: it holds int64, and this assigns string[16]\nBEGIN { @x = comm; }\n        ~~"
	if err == nil || err.Error() != want {
		t.Errorf("compile error\n%v\nwant\n%s", err, want)
	}
}
