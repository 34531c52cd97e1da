package lang

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// addCorpusSeeds seeds a fuzzer with every corpus program; the seeds
// (and crashers kept in testdata/fuzz) run in a plain go test.
func addCorpusSeeds(f *testing.F) {
	files, _ := filepath.Glob("testdata/corpus/*.bt")
	if len(files) == 0 {
		f.Fatal("no corpus programs")
	}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(src))
	}
}

// checkError: a failure must be our *Error, rendered without panicking.
func checkError(t *testing.T, err error) {
	if err == nil {
		return
	}
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("error of type %T: %v", err, err)
	}
	if e.Pos.Line < 1 || e.Pos.Col < 1 {
		t.Fatalf("error without a position: %v", err)
	}
	if msg := e.Error(); !strings.Contains(msg, "ERROR: ") {
		t.Fatalf("error text %q", msg)
	}
}

// FuzzParse: no input panics the parser, and a parsed program prints.
func FuzzParse(f *testing.F) {
	addCorpusSeeds(f)
	f.Fuzz(func(t *testing.T, src string) {
		prog, err := Parse("stdin", src)
		checkError(t, err)
		if err == nil {
			var b strings.Builder
			DumpAST(&b, prog)
		}
	})
}

// FuzzCheck: no parsed program panics the type checker or the code
// generator, against the corpus's fake kernel.
func FuzzCheck(f *testing.F) {
	addCorpusSeeds(f)
	f.Fuzz(func(t *testing.T, src string) {
		// The whole front end: preprocessor, parser, positional
		// parameters.
		pp, err := Preprocess("stdin", src, PreprocessOptions{HaveBTF: true, IncludeDirs: []string{"testdata/include"}})
		if err != nil {
			return
		}
		prog, err := Parse("stdin", pp.Text)
		if err != nil {
			return
		}
		prog.Structs = append(pp.Structs, prog.Structs...)
		if err := BindParams(prog, []string{"1", "two"}); err != nil {
			checkError(t, err)
			return
		}
		env := newFakeEnv()
		env.hooks["kprobe"] = true
		c, err := Compile(prog, env, Options{Arch: "amd64", File: "stdin"})
		checkError(t, err)
		if err == nil {
			var b strings.Builder
			c.Dump(&b)
		}
	})
}

// TestDeepNesting: absurd nesting is an error, not a stack overflow.
func TestDeepNesting(t *testing.T) {
	for _, src := range []string{
		"BEGIN { @x = " + strings.Repeat("(", 100000) + "1" + strings.Repeat(")", 100000) + "; }",
		"BEGIN { @x = " + strings.Repeat("!", 100000) + "1; }",
		"BEGIN { @x = " + strings.Repeat("1 ? 1 : ", 100000) + "1; }",
	} {
		_, err := Parse("stdin", src)
		if err == nil || !strings.Contains(err.Error(), "nested more than") {
			t.Errorf("error %.200v", err)
		}
	}
	if _, err := Parse("stdin", "BEGIN { @x = "+strings.Repeat("(", 50)+"1"+strings.Repeat(")", 50)+"; }"); err != nil {
		t.Errorf("50 parentheses: %v", err)
	}
}
